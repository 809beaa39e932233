from . import test_deadline
from . import test_process
from . import test_overdue
from . import test_responsibility
from . import test_dq_rules
from . import test_dq_issue
from . import test_dq_late_commit
from . import test_dq_scan_index
