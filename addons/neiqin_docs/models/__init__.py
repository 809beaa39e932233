from . import neiqin_job_document
from . import neiqin_job_duty
from . import neiqin_job_indicator
from . import neiqin_job_acknowledgement
from . import hr_job
from . import hr_employee
