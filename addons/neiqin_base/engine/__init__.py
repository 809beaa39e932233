from . import actions
from . import condition
from . import deadline
from . import guard
from . import rule_sql
from . import scan_index
from . import xmlids
