from . import test_review_rules
from . import test_review_flow
from . import test_fulfilment
from . import test_tracking_import
from . import test_xmlrpc
