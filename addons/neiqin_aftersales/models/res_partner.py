from markupsafe import Markup

from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.neiqin_base.engine.guard import require_group

# One statement for any number of customers: each commercial partner's
# confirmed orders per company (untaxed, in the company's currency), the
# highest level of that company (or shared) they reach, the highest over
# their companies; every contact of the commercial partner takes it. Rows
# whose level changes are written and returned with the old level.
MEMBER_LEVEL_SQL = """
WITH stats AS (
    SELECT cp.commercial_partner_id AS partner_id, so.company_id,
           SUM(so.amount_untaxed / CASE COALESCE(so.currency_rate, 0)
                                   WHEN 0 THEN 1.0 ELSE so.currency_rate END) AS spend,
           COUNT(*) AS orders
      FROM sale_order so
      JOIN res_partner cp ON cp.id = so.partner_id
     WHERE so.state = 'sale'
       AND (%(all)s OR cp.commercial_partner_id = ANY(%(ids)s))
     GROUP BY cp.commercial_partner_id, so.company_id
),
customer AS (
    SELECT p.id, p.commercial_partner_id
      FROM res_partner p
     WHERE p.active AND (%(all)s OR p.commercial_partner_id = ANY(%(ids)s))
       AND (p.customer_rank > 0
            OR p.commercial_partner_id IN (SELECT partner_id FROM stats))
),
reached AS (
    SELECT DISTINCT ON (c.commercial_partner_id)
           c.commercial_partner_id AS partner_id, l.id AS level_id
      FROM (SELECT DISTINCT commercial_partner_id FROM customer) c
      JOIN neiqin_member_level l ON l.active
      LEFT JOIN stats s ON s.partner_id = c.commercial_partner_id
           AND (l.company_id IS NULL OR l.company_id = s.company_id)
     WHERE COALESCE(s.spend, 0) >= COALESCE(l.min_spend, 0)
       AND COALESCE(s.orders, 0) >= COALESCE(l.min_orders, 0)
       AND (s.partner_id IS NOT NULL OR l.company_id IS NULL
            OR (COALESCE(l.min_spend, 0) <= 0 AND COALESCE(l.min_orders, 0) <= 0))
     ORDER BY c.commercial_partner_id, l.sequence DESC, l.min_spend DESC, l.id DESC
),
target AS (
    SELECT c.id, p.neiqin_member_level_id AS old_level_id, r.level_id
      FROM customer c
      JOIN res_partner p ON p.id = c.id
      LEFT JOIN reached r ON r.partner_id = c.commercial_partner_id
     WHERE p.neiqin_member_level_id IS DISTINCT FROM r.level_id
)
UPDATE res_partner p
   SET neiqin_member_level_id = t.level_id
  FROM target t
 WHERE p.id = t.id
RETURNING p.id, t.old_level_id, t.level_id
"""


class ResPartner(models.Model):
    """The customer profile (客户关系维护): what the customer bought, asked
    and rated, and their member level (会员管理), kept by the member-level
    engine, never typed."""

    _name = "res.partner"
    _inherit = ["res.partner", "neiqin.engine.mixin"]

    neiqin_member_level_id = fields.Many2one(
        "neiqin.member.level",
        string="Member Level",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Set from the confirmed orders of the customer (daily and on demand).",
    )
    neiqin_order_count = fields.Integer(
        string="Confirmed Orders", compute="_compute_neiqin_profile"
    )
    neiqin_total_spend = fields.Monetary(
        string="Total Spend",
        compute="_compute_neiqin_profile",
        currency_field="neiqin_currency_id",
        help="Untaxed total of the confirmed orders, in the current company's currency.",
    )
    neiqin_currency_id = fields.Many2one(
        "res.currency", compute="_compute_neiqin_profile", string="Profile Currency"
    )
    neiqin_last_order_date = fields.Datetime(
        string="Last Purchase", compute="_compute_neiqin_profile"
    )
    neiqin_ticket_count = fields.Integer(
        string="Service Tickets", compute="_compute_neiqin_profile"
    )
    neiqin_return_count = fields.Integer(string="Returns", compute="_compute_neiqin_profile")
    neiqin_rating_avg = fields.Float(
        string="Average Rating",
        compute="_compute_neiqin_profile",
        digits=(3, 2),
        help="Average of the customer's ratings of their tickets (1 to 5).",
    )

    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | {"neiqin_member_level_id"}

    def _compute_neiqin_profile(self):
        """Every figure for the whole set in one grouped read each: the
        commercial partner's, in the current company."""
        commercial = self.commercial_partner_id
        company = self.env.company
        rates = {}
        orders = {}
        for partner, currency, count, spend, last in self.env["sale.order"]._read_group(
            [
                ("partner_id", "child_of", commercial.ids),
                ("state", "=", "sale"),
                ("company_id", "=", company.id),
            ],
            ["partner_id", "currency_id"],
            ["__count", "amount_untaxed:sum", "date_order:max"],
        ):
            key = partner.commercial_partner_id.id
            if currency not in rates:
                rates[currency] = currency._get_conversion_rate(
                    currency, company.currency_id, company, fields.Date.today()
                )
            total = orders.setdefault(key, [0, 0.0, False])
            total[0] += count
            total[1] += spend * rates[currency]
            total[2] = max(total[2], last) if total[2] else last
        tickets = self._neiqin_count_by_commercial("helpdesk.ticket", "partner_id", commercial)
        returns = self._neiqin_count_by_commercial("rma", "partner_id", commercial)
        ratings = {}
        for partner, total, count in self.env["rating.rating"]._read_group(
            [
                ("partner_id", "child_of", commercial.ids),
                ("res_model", "=", "helpdesk.ticket"),
                ("consumed", "=", True),
                ("rating", ">", 0),
            ],
            ["partner_id"],
            ["rating:sum", "__count"],
        ):
            acc = ratings.setdefault(partner.commercial_partner_id.id, [0.0, 0])
            acc[0] += total
            acc[1] += count
        for partner in self:
            key = partner.commercial_partner_id.id
            count, spend, last = orders.get(key, (0, 0.0, False))
            rating_sum, rating_count = ratings.get(key, (0.0, 0))
            partner.neiqin_order_count = count
            partner.neiqin_total_spend = spend
            partner.neiqin_currency_id = company.currency_id
            partner.neiqin_last_order_date = last
            partner.neiqin_ticket_count = tickets.get(key, 0)
            partner.neiqin_return_count = returns.get(key, 0)
            partner.neiqin_rating_avg = rating_sum / rating_count if rating_count else 0.0

    def _neiqin_count_by_commercial(self, model, field, commercial):
        counts = {}
        if not self.env[model].has_access("read"):
            return counts
        for partner, count in self.env[model]._read_group(
            [(field, "child_of", commercial.ids)], [field], ["__count"]
        ):
            key = partner.commercial_partner_id.id
            counts[key] = counts.get(key, 0) + count
        return counts

    # ------------------------------------------------------------ member levels
    def _cron_neiqin_member_levels(self):
        """Set the member level of every customer: one statement whatever
        their number, then one batch of chatter notes for the changes."""
        return self.browse()._neiqin_update_member_levels(every_customer=True)

    def action_neiqin_update_member_level(self):
        """Set the member level of these customers now."""
        require_group(
            self.env,
            "neiqin_base.group_neiqin_clerk",
            self.env._("Only the back office updates member levels."),
        )
        self.check_access("read")
        self._neiqin_update_member_levels()
        return True

    def _neiqin_update_member_levels(self, every_customer=False):
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                MEMBER_LEVEL_SQL,
                all=bool(every_customer),
                ids=self.commercial_partner_id.ids,
            )
        )
        if not rows:
            return self.browse()
        changed = self.browse([row[0] for row in rows])
        changed.invalidate_recordset(["neiqin_member_level_id"])
        self._neiqin_log_level_changes(rows)
        return changed

    def _neiqin_log_level_changes(self, rows):
        """A note in each customer's chatter saying the old and new level,
        all written in one batch."""
        Level = self.env["neiqin.member.level"].with_context(active_test=False)
        names = {
            level.id: level.name
            for level in Level.browse({lid for row in rows for lid in row[1:] if lid})
        }
        none = self.env._("None")
        template = self.env._("Member level: %(old)s → %(new)s")
        bodies = {
            partner_id: Markup("<p>%s</p>")
            % (template % {"old": names.get(old, none), "new": names.get(new, none)})
            for partner_id, old, new in rows
        }
        # The notes are written as superuser by the mail module (no access
        # check): the partners are those the engine just changed.
        self.browse(list(bodies))._message_log_batch(bodies=bodies)
