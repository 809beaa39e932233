from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.neiqin_base.engine.guard import engine_writes, require_group

# The measures of the daily reconciliation (数据核对): what the clerk types
# from the source (the marketplace back end's daily report, the warehouse's
# count, finance) against what the system holds for the day.
MEASURES = [
    ("orders_count", "Orders entered (count)"),
    ("orders_amount", "Orders entered (amount)"),
    ("deliveries_count", "Deliveries done (count)"),
    ("deliveries_qty", "Deliveries done (quantity)"),
    ("invoices_count", "Customer invoices (count)"),
    ("invoices_amount", "Customer invoices (amount)"),
    ("moves_qty", "Stock moves done (quantity)"),
]
# The default tolerance of each measure: counts match exactly, amounts to
# the yuan, quantities to a unit.
TOLERANCES = {"orders_amount": 1.0, "invoices_amount": 1.0}
RECONCILIATION_FIELDS = {"state", "checked_at", "confirmed_at", "confirmed_by_id", "task_id"}


class NeiqinReconciliation(models.Model):
    """One day's reconciliation of a company: the figures of the sources
    against the system's, measure by measure. *Check* computes the system's
    figures (one query per source), *Confirm* (a lead) freezes them."""

    _name = "neiqin.reconciliation"
    _description = "Daily reconciliation"
    _inherit = ["mail.thread", "neiqin.engine.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    date = fields.Date(required=True, default=lambda self: fields.Date.context_today(self))
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        [("draft", "To Check"), ("checked", "Checked"), ("confirmed", "Confirmed")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    owner_user_id = fields.Many2one(
        "res.users",
        string="Owner",
        default=lambda self: self.env.user,
        tracking=True,
        check_company=True,
    )
    task_id = fields.Many2one(
        "neiqin.task",
        readonly=True,
        copy=False,
        check_company=True,
        help="The data-maintenance round this reconciliation belongs to.",
    )
    line_ids = fields.One2many("neiqin.reconciliation.line", "reconciliation_id", string="Measures")
    difference_count = fields.Integer(
        string="Differences", compute="_compute_difference_count", store=True
    )
    checked_at = fields.Datetime(string="Checked On", readonly=True, copy=False)
    confirmed_at = fields.Datetime(string="Confirmed On", readonly=True, copy=False)
    confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    _sql_constraints = [
        (
            "company_date_uniq",
            "unique (company_id, date)",
            "A company has one reconciliation per day.",
        ),
    ]

    @api.depends("date")
    def _compute_name(self):
        for rec in self:
            rec.name = self.env._("Reconciliation %s", rec.date) if rec.date else ""

    @api.depends("line_ids.is_over_tolerance")
    def _compute_difference_count(self):
        for rec in self:
            rec.difference_count = len(rec.line_ids.filtered("is_over_tolerance"))

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | RECONCILIATION_FIELDS

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("line_ids"):
                vals["line_ids"] = [
                    fields.Command.create({"measure": key, "tolerance": TOLERANCES.get(key, 0.0)})
                    for key, _label in MEASURES
                ]
        return super().create(vals_list)

    def write(self, vals):
        if "date" in vals or "company_id" in vals:
            self._check_not_confirmed()
        return super().write(vals)

    def _check_not_confirmed(self):
        if any(rec.state == "confirmed" for rec in self):
            raise UserError(
                self.env._("A confirmed reconciliation is frozen: its figures cannot change.")
            )

    # ------------------------------------------------------------------ figures
    def _day_bounds(self):
        """The start and end (naive UTC) of the reconciliation's day in the
        owner's time zone (the user's when none)."""
        tz = pytz.timezone(self.owner_user_id.tz or self.env.user.tz or "UTC")
        start = tz.localize(datetime.combine(self.date, time.min)).astimezone(pytz.utc)
        start = start.replace(tzinfo=None)
        return start, start + timedelta(days=1)

    def _system_figures(self):
        """{measure: the system's figure} for the day: one query per source
        (orders, deliveries, invoices, moves), whatever their number."""
        self.ensure_one()
        self.env.flush_all()
        start, end = self._day_bounds()
        company = self.company_id.id
        cr = self.env.cr
        cr.execute(
            SQL(
                """SELECT count(*), coalesce(sum(amount_total), 0) FROM sale_order
                    WHERE company_id = %s AND state = 'sale'
                      AND date_order >= %s AND date_order < %s""",
                company,
                start,
                end,
            )
        )
        orders_count, orders_amount = cr.fetchone()
        cr.execute(
            SQL(
                """SELECT count(DISTINCT p.id), coalesce(sum(m.quantity), 0)
                     FROM stock_picking p
                     JOIN stock_picking_type t ON t.id = p.picking_type_id
                     LEFT JOIN stock_move m ON m.picking_id = p.id AND m.state = 'done'
                    WHERE p.company_id = %s AND t.code = 'outgoing' AND p.state = 'done'
                      AND p.date_done >= %s AND p.date_done < %s""",
                company,
                start,
                end,
            )
        )
        deliveries_count, deliveries_qty = cr.fetchone()
        cr.execute(
            SQL(
                """SELECT count(*), coalesce(sum(amount_total_signed), 0) FROM account_move
                    WHERE company_id = %s AND move_type = 'out_invoice' AND state = 'posted'
                      AND invoice_date = %s""",
                company,
                self.date,
            )
        )
        invoices_count, invoices_amount = cr.fetchone()
        cr.execute(
            SQL(
                """SELECT coalesce(sum(product_qty), 0) FROM stock_move
                    WHERE company_id = %s AND state = 'done' AND date >= %s AND date < %s""",
                company,
                start,
                end,
            )
        )
        (moves_qty,) = cr.fetchone()
        return {
            "orders_count": orders_count,
            "orders_amount": orders_amount,
            "deliveries_count": deliveries_count,
            "deliveries_qty": deliveries_qty,
            "invoices_count": invoices_count,
            "invoices_amount": invoices_amount,
            "moves_qty": moves_qty,
        }

    def _fill_system_figures(self):
        for rec in self:
            figures = rec._system_figures()
            with engine_writes():
                for line in rec.line_ids:
                    line.system_value = float(figures.get(line.measure, 0.0))
                rec.write({"checked_at": fields.Datetime.now()})

    # ------------------------------------------------------------------ actions
    def action_check(self):
        """Button: compute the system's figures again and compare."""
        require_group(
            self.env,
            "neiqin_base.group_neiqin_clerk",
            self.env._("Only back-office staff can check a reconciliation."),
        )
        self._check_not_confirmed()
        self._fill_system_figures()
        with engine_writes():
            self.write({"state": "checked"})
        return True

    def action_confirm(self):
        """Button (lead): freeze the reconciliation as checked."""
        require_group(
            self.env,
            "neiqin_base.group_neiqin_lead",
            self.env._("Only a back-office lead can confirm a reconciliation."),
        )
        if any(rec.state != "checked" for rec in self):
            raise UserError(self.env._("Check the reconciliation before confirming it."))
        with engine_writes():
            self.write(
                {
                    "state": "confirmed",
                    "confirmed_at": fields.Datetime.now(),
                    "confirmed_by_id": self.env.user.id,
                }
            )
        return True

    def action_reset(self):
        """Button (lead): reopen a confirmed reconciliation."""
        require_group(
            self.env,
            "neiqin_base.group_neiqin_lead",
            self.env._("Only a back-office lead can reopen a reconciliation."),
        )
        with engine_writes():
            self.write({"state": "draft", "confirmed_at": False, "confirmed_by_id": False})
        return True

    @api.model
    def _cron_create_daily(self):
        """Scheduled: yesterday's reconciliation of every company (its
        figures are complete once the day is over), the system's figures
        filled in, and a task of the data-maintenance process so that the
        round has an owner and a deadline. Nothing is made twice."""
        process = self.env.ref("neiqin_base.process_data")
        team = self.env.ref("neiqin_base.team_back_office", raise_if_not_found=False)
        day = fields.Date.context_today(self) - timedelta(days=1)
        # As the engine: a scheduled action makes every company's round.
        Reconciliation = self.sudo()
        done = set(Reconciliation.search([("date", "=", day)]).mapped("company_id").ids)
        companies = self.env["res.company"].sudo().search([("id", "not in", list(done))])
        created = self.browse()
        for company in companies:
            owner = team.lead_user_id if team else self.env.user
            task = (
                self.env["neiqin.task"]
                .sudo()
                .with_company(company)
                .create(
                    {
                        "name": self.env._("Data maintenance round %s", day),
                        "process_id": process.id,
                        "company_id": company.id,
                        "team_id": team.id if team and not team.company_id else False,
                        "user_id": owner.id if company in owner.company_ids else False,
                        "date": day,
                    }
                )
            )
            task.action_start()
            rec = Reconciliation.with_company(company).create(
                {
                    "date": day,
                    "company_id": company.id,
                    "owner_user_id": owner.id if company in owner.company_ids else False,
                }
            )
            with engine_writes():
                rec.task_id = task
            rec._fill_system_figures()
            created |= rec
        return created


class NeiqinReconciliationLine(models.Model):
    """One measure of a reconciliation: the figure entered from the source,
    the system's, their difference and whether it exceeds the tolerance."""

    _name = "neiqin.reconciliation.line"
    _description = "Daily reconciliation measure"
    _inherit = ["neiqin.engine.mixin"]
    _order = "reconciliation_id, id"
    _check_company_auto = True

    reconciliation_id = fields.Many2one(
        "neiqin.reconciliation", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="reconciliation_id.company_id", store=True, index=True)
    date = fields.Date(related="reconciliation_id.date", store=True)
    state = fields.Selection(related="reconciliation_id.state")
    measure = fields.Selection(MEASURES, required=True)
    entered_value = fields.Float(
        string="Entered", help="The figure of the source, as the clerk reads it."
    )
    system_value = fields.Float(string="System", readonly=True)
    difference = fields.Float(compute="_compute_difference", store=True, aggregator="sum")
    tolerance = fields.Float(help="A difference larger than this (in absolute value) is flagged.")
    is_over_tolerance = fields.Boolean(
        string="Over Tolerance", compute="_compute_difference", store=True
    )
    note = fields.Char()

    @api.depends("entered_value", "system_value", "tolerance")
    def _compute_difference(self):
        for line in self:
            line.difference = line.entered_value - line.system_value
            line.is_over_tolerance = abs(line.difference) > line.tolerance + 1e-6

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | {"system_value"}

    def write(self, vals):
        if set(vals) - {"note"}:
            self.reconciliation_id._check_not_confirmed()
        return super().write(vals)
