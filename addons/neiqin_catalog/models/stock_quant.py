from odoo import models


class StockQuant(models.Model):
    """Quants carry their data-quality issues (the negative-stock monitor)."""

    _name = "stock.quant"
    _inherit = ["stock.quant", "neiqin.dq.mixin"]
