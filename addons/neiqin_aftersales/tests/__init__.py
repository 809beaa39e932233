from . import test_ticket_process
