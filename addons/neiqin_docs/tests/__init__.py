from . import test_docs_base
from . import test_job_document
from . import test_job_acknowledgement
from . import test_job_portal
