from . import test_docs_base
