from . import helpdesk_ticket
from . import rma
from . import helpdesk_ticket_stage
from . import neiqin_complaint_cause
from . import neiqin_responsibility
from . import helpdesk_ticket_flow
from . import sale_order
