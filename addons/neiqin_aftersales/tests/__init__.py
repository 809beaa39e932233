from . import test_ticket_process
from . import test_reply_templates
from . import test_service_flow
from . import test_returns
from . import test_refund_request
from . import test_ticket_flow
from . import test_ticket_close_gate
from . import test_complaints
