from . import helpdesk_ticket
from . import rma
from . import helpdesk_ticket_api
from . import mail_message
from . import helpdesk_ticket_scan
