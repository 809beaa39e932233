from . import test_catalog_base
from . import test_standards
from . import test_completeness
