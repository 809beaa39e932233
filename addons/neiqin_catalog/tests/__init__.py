from . import test_catalog_base
