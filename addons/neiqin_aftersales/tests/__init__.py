from . import test_ticket_process
from . import test_returns
from . import test_refund_request
