from . import neiqin_recategorize_wizard
from . import neiqin_category_suggest_wizard
from . import neiqin_info_review_wizard
