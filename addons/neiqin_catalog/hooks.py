from odoo.tools import SQL

from .models.product_template_standards import SCORE_TABLE


def uninstall_hook(env):
    """The completeness scores live in a table the ORM does not own (see
    ``product.template.init``): it goes with the add-on."""
    env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(SCORE_TABLE)))
