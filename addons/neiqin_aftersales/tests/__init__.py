from . import test_ticket_process
from . import test_satisfaction
from . import test_member_levels
from . import test_feedback
