from . import test_catalog_base
from . import test_catalog_api
from . import test_catalog_xmlrpc
