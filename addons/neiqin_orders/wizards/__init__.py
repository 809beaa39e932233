from . import neiqin_tracking_import_wizard
from . import neiqin_order_hold_wizard
