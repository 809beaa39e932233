from . import helpdesk_ticket
from . import rma
from . import neiqin_service_type
from . import neiqin_reply_template
from . import neiqin_service_flow
from . import neiqin_service_flow_line
from . import helpdesk_ticket_replies
