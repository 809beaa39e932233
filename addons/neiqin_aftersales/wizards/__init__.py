from . import neiqin_reply_wizard
