from . import neiqin_dq_rule
from . import product_template
from . import neiqin_product_listing
from . import product_category
from . import neiqin_promotion
from . import neiqin_promotion_line
from . import neiqin_promotion_check
from . import product_pricelist_item
