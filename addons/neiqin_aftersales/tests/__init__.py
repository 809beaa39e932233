from . import test_ticket_process
from . import test_ticket_flow
from . import test_ticket_close_gate
from . import test_complaints
