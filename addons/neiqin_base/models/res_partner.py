import re

from odoo import models
from odoo.tools import SQL, email_normalize

from ..engine.rule_sql import dq_reads

# An address of this shape always normalises; only the others need the mail
# module's full parser, one by one.
PLAIN_EMAIL = r"[^@\s,;<>\"()]+@[^@\s,;<>\"()]+\.[^@\s,;<>\"()]+"
PLAIN_EMAIL_RE = re.compile(PLAIN_EMAIL)


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "neiqin.dq.mixin"]

    @dq_reads("email")
    def _neiqin_dq_check_email_undeliverable(self, rule):
        """Check method for data-quality rules: partners whose email address
        cannot be normalised (the same test the mail module applies). The
        plain addresses are set aside first; the parser sees the rest.

        A rescan has read the addresses with the records: they are tested
        from the cache. Otherwise one query sets the plain ones aside."""
        if not self:
            return self
        field = self._fields["email"]
        if next(iter(self.env.cache.get_missing_ids(self, field)), None) is None:
            suspects = [
                (partner_id, email)
                for partner_id, email in zip(self.ids, self.mapped("email"))
                if email and not PLAIN_EMAIL_RE.fullmatch(email)
            ]
        else:
            self.flush_model(["email"])
            suspects = self.env.execute_query(
                SQL(
                    "SELECT id, email FROM res_partner "
                    "WHERE id = ANY(%s) AND email IS NOT NULL AND email <> '' AND email !~ %s",
                    self.ids,
                    f"^{PLAIN_EMAIL}$",
                )
            )
        return self.browse(
            partner_id for partner_id, email in suspects if not email_normalize(email)
        )
