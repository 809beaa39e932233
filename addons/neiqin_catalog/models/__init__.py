from . import neiqin_dq_rule
from . import product_template
from . import neiqin_product_listing
from . import product_template_api
from . import product_template_lifecycle
from . import neiqin_product_listing_publish
