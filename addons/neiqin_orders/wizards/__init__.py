from . import neiqin_tracking_import_wizard
