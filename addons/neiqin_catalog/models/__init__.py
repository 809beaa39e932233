from . import neiqin_dq_rule
from . import product_template
from . import neiqin_product_listing
from . import product_template_api
