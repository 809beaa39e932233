from . import test_ticket_process
from . import test_ticket_api
from . import test_ticket_xmlrpc
from . import test_portal_security
