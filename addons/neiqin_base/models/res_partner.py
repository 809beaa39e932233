from odoo import models
from odoo.tools import SQL, email_normalize

from ..engine.rule_sql import dq_reads

# An address of this shape always normalises; only the others need the mail
# module's full parser, one by one.
PLAIN_EMAIL = r"^[^@\s,;<>\"()]+@[^@\s,;<>\"()]+\.[^@\s,;<>\"()]+$"


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "neiqin.dq.mixin"]

    @dq_reads("email")
    def _neiqin_dq_email_undeliverable(self, rule):
        """Check method for data-quality rules: partners whose email address
        cannot be normalised (the same test the mail module applies). One
        query sets aside the plain addresses; the parser sees the rest."""
        if not self.ids:
            return self
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner "
                "WHERE id = ANY(%s) AND email IS NOT NULL AND email <> '' AND email !~ %s",
                self.ids,
                PLAIN_EMAIL,
            )
        )
        suspects = self.browse([row[0] for row in self.env.cr.fetchall()])
        return suspects.filtered(lambda p: not email_normalize(p.email))
