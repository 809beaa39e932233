from . import test_catalog_base
from . import test_monitors
from . import test_reconciliation
from . import test_cleaning
