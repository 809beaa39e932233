from . import test_review_rules
from . import test_review_flow
from . import test_fulfilment
from . import test_tracking_import
from . import test_xmlrpc
from . import test_gate_findings
from . import test_gate
from . import test_roles
