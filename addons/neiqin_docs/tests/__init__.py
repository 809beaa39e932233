from . import test_docs_base
from . import test_training
from . import test_job_review
from . import test_job_review_portal
