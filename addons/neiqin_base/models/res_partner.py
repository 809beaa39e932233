from odoo import models
from odoo.tools import email_normalize


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "neiqin.dq.mixin"]

    def _neiqin_dq_email_undeliverable(self, rule):
        """Check method for data-quality rules: partners whose email address
        cannot be normalised (the same test the mail module applies)."""
        return self.filtered(lambda p: p.email and not email_normalize(p.email))
