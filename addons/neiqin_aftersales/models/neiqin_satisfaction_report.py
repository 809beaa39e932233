from odoo import fields, models, tools
from odoo.tools import SQL

from .helpdesk_ticket import SERVICE_TYPES

# Odoo's ratings are 1 (not satisfied), 3 (okay) and 5 (satisfied).
SATISFIED = 5


class NeiqinSatisfactionReport(models.Model):
    """Customer ratings of tickets by agent, team, service type and month
    (客户满意度): one row per rating, one set-based view."""

    _name = "neiqin.satisfaction.report"
    _description = "Customer Satisfaction Report"
    _auto = False
    # The rating's own dates and authors, as every Neiqin record has them.
    _log_access = True
    _order = "rated_on desc"
    _rec_name = "ticket_id"
    # Read before the view is searched: pending writes of these are flushed.
    _depends = {
        "rating.rating": ["res_model", "res_id", "rating", "consumed", "write_date"],
        "helpdesk.ticket": [
            "user_id",
            "team_id",
            "partner_id",
            "company_id",
            "neiqin_service_type",
        ],
    }

    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", string="Helpdesk Team", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    service_type = fields.Selection(SERVICE_TYPES, readonly=True)
    rated_on = fields.Datetime(readonly=True)
    rating = fields.Float(string="Average Rating", aggregator="avg", readonly=True)
    rating_count = fields.Integer(string="Ratings", aggregator="sum", readonly=True)
    satisfied_count = fields.Integer(string="Satisfied", aggregator="sum", readonly=True)
    satisfied_share = fields.Float(
        string="Satisfied (%)",
        aggregator="avg",
        readonly=True,
        help="Share of the ratings that say satisfied (5 of 5).",
    )

    def _query(self):
        return SQL(
            """
            SELECT r.id AS id,
                   r.create_uid AS create_uid,
                   r.create_date AS create_date,
                   r.write_uid AS write_uid,
                   r.write_date AS write_date,
                   t.id AS ticket_id,
                   t.user_id AS user_id,
                   t.team_id AS team_id,
                   t.partner_id AS partner_id,
                   t.company_id AS company_id,
                   t.neiqin_service_type AS service_type,
                   COALESCE(r.write_date, r.create_date) AS rated_on,
                   r.rating AS rating,
                   1 AS rating_count,
                   CASE WHEN r.rating >= %(satisfied)s THEN 1 ELSE 0 END AS satisfied_count,
                   CASE WHEN r.rating >= %(satisfied)s THEN 100.0 ELSE 0.0 END
                       AS satisfied_share
              FROM rating_rating r
              JOIN helpdesk_ticket t ON t.id = r.res_id
             WHERE r.res_model = 'helpdesk.ticket'
               AND r.consumed
               AND r.rating > 0
            """,
            satisfied=SATISFIED,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
