from odoo import models
from odoo.tools import SQL

from odoo.addons.neiqin_base.engine.rule_sql import dq_reads

# Valid Chinese numbers once spaces, dashes, dots and brackets are removed:
# a mobile number (1[3-9] and nine digits), or a fixed line with its area
# code (0 and two or three digits, or the area code without its 0 after
# +86), then seven or eight digits.
CN_MOBILE = r"^(\+86|0086|86)?1[3-9][0-9]{9}$"
CN_FIXED_LINE = r"^(0|\+860?|00860?)[1-9][0-9]{1,2}[2-9][0-9]{6,7}$"


def phone_key(column):
    """SQL of ``column``'s comparable form: digits only, the country code of
    China dropped."""
    digits = SQL("regexp_replace(%s, '[^0-9]', '', 'g')", column)
    return SQL(
        "regexp_replace(%s, '^(0086|86)(1[3-9][0-9]{9})$', '\\2')",
        digits,
    )


def phone_stripped(column):
    """SQL of ``column`` without spaces, dashes, dots and brackets."""
    return SQL("regexp_replace(%s, '[[:space:]()./-]', '', 'g')", column)


class ResPartner(models.Model):
    _inherit = "res.partner"

    @dq_reads("phone", "mobile")
    def _neiqin_dq_check_phone_malformed(self, rule):
        """Data maintenance: partners whose phone or mobile is neither a
        Chinese mobile number (1[3-9] and nine digits) nor a fixed line with
        its area code, once spaces, dashes, brackets and +86 are removed.
        One query for every candidate."""
        if not self:
            return self
        self.flush_model(["phone", "mobile"])
        rows = self.env.execute_query(
            SQL(
                """SELECT p.id FROM res_partner p,
                          LATERAL (VALUES (p.phone), (p.mobile)) AS v (number)
                    WHERE p.id = ANY(%s) AND btrim(coalesce(v.number, '')) <> ''
                      AND %s !~ %s AND %s !~ %s
                    GROUP BY p.id""",
                self.ids,
                phone_stripped(SQL("v.number")),
                CN_MOBILE,
                phone_stripped(SQL("v.number")),
                CN_FIXED_LINE,
            )
        )
        return self.browse(row[0] for row in rows)

    def _neiqin_dq_check_duplicate_phone(self, rule):
        """Data maintenance: partners sharing a phone or mobile number with an
        active contact of another company or person, compared by digits (the
        +86 of a mobile number dropped). One query; the other side of a pair
        is read, so the check declares no reads (open issues are checked
        again at each scan)."""
        if not self:
            return self
        self.flush_model(["phone", "mobile", "active", "commercial_partner_id"])
        key = phone_key(SQL("v.number"))
        rows = self.env.execute_query(
            SQL(
                """WITH keys AS (
                       SELECT p.id, p.commercial_partner_id AS cp, %s AS k
                         FROM res_partner p,
                              LATERAL (VALUES (p.phone), (p.mobile)) AS v (number)
                        WHERE p.active AND v.number IS NOT NULL
                   )
                   SELECT DISTINCT a.id FROM keys a
                     JOIN keys b ON b.k = a.k AND b.cp <> a.cp
                    WHERE a.id = ANY(%s) AND length(a.k) >= 7""",
                key,
                self.ids,
            )
        )
        return self.browse(row[0] for row in rows)
