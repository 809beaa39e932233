from . import helpdesk_ticket
from . import rma
from . import rma_operation
from . import rma_returns
from . import helpdesk_ticket_returns
from . import sale_order_returns
