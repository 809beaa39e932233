from . import test_docs_base
from . import test_job_document
from . import test_job_acknowledgement
from . import test_job_portal
from . import test_training
from . import test_job_review
from . import test_job_review_portal
