from . import test_catalog_base
from . import test_catalog_api
from . import test_catalog_xmlrpc
from . import test_categories
from . import test_promotions
from . import test_lifecycle
from . import test_publish
from . import test_catalog_controls
