from . import test_docs_base
from . import test_meeting
from . import test_archive
