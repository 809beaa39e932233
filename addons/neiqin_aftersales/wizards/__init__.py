from . import neiqin_reply_wizard
from . import neiqin_ticket_return_wizard
from . import neiqin_rma_inspection_wizard
