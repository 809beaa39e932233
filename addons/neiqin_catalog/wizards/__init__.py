from . import neiqin_info_review_wizard
