from . import neiqin_order_override_wizard
from . import neiqin_tracking_import_wizard
