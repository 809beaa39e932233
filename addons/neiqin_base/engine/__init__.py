from . import actions
from . import deadline
from . import rule_sql
