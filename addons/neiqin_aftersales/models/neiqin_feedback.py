from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.neiqin_base.engine.guard import engine_writes, require_group

from .neiqin_feedback_route import FEEDBACK_KINDS

STATES = [
    ("new", "New"),
    ("routed", "Routed"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("rejected", "Rejected"),
]
CLERK = "neiqin_base.group_neiqin_clerk"
LEAD = "neiqin_base.group_neiqin_lead"


class NeiqinFeedback(models.Model):
    """Customer feedback (反馈收集): recorded by the desk, routed to the
    department that answers it (routing rules by kind), followed up by its
    owner before the deadline."""

    _name = "neiqin.feedback"
    _description = "Customer Feedback"
    _inherit = ["mail.thread", "mail.activity.mixin", "neiqin.engine.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    subject = fields.Char(required=True, tracking=True)
    details = fields.Html()
    kind = fields.Selection(FEEDBACK_KINDS, required=True, default="other", tracking=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index="btree_not_null", tracking=True
    )
    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Service Ticket",
        index="btree_not_null",
        check_company=True,
    )
    department_id = fields.Many2one("hr.department", tracking=True, check_company=True)
    owner_user_id = fields.Many2one(
        "res.users",
        string="Owner",
        index="btree_not_null",
        tracking=True,
        compute="_compute_owner_user_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    deadline = fields.Date(tracking=True)
    state = fields.Selection(
        STATES, default="new", required=True, readonly=True, tracking=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | {"state"}

    @api.depends("department_id")
    def _compute_owner_user_id(self):
        for feedback in self:
            manager = feedback.department_id.manager_id.user_id
            feedback.owner_user_id = manager or feedback.owner_user_id

    @api.constrains("state", "owner_user_id", "department_id")
    def _check_owner_when_routed(self):
        for feedback in self:
            if feedback.state in ("routed", "in_progress") and not (
                feedback.owner_user_id and feedback.department_id
            ):
                raise ValidationError(
                    self.env._(
                        "Feedback %s is routed: it needs a department and an owner.",
                        feedback.subject,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records.filtered(lambda f: not f.department_id)._neiqin_apply_routes()
        records.filtered("department_id")._neiqin_route()
        return records

    def _neiqin_apply_routes(self):
        """Fill the department, owner and deadline of feedback without a
        department from the routing rules of its kind."""
        if not self:
            return
        routes = self.env["neiqin.feedback.route"].search(
            [("kind", "in", list(set(self.mapped("kind"))))], order="sequence, company_id, id"
        )
        for feedback in self:
            route = routes.filtered(
                lambda r, f=feedback: r.kind == f.kind
                and r.company_id in (f.company_id, r.company_id.browse())
            )[:1]
            if not route or not route._owner():
                continue
            feedback.write(
                {
                    "department_id": route.department_id.id,
                    "owner_user_id": feedback.owner_user_id.id or route._owner().id,
                    "deadline": feedback.deadline
                    or fields.Date.context_today(feedback) + timedelta(days=route.deadline_days),
                }
            )

    def _neiqin_route(self):
        """Feedback with a department and an owner goes to them: routed, with
        an activity for the owner due on the deadline."""
        routable = self.filtered(lambda f: f.state == "new" and f.department_id and f.owner_user_id)
        for feedback in routable:
            feedback.activity_schedule(
                act_type_xmlid="mail.mail_activity_data_todo",
                date_deadline=feedback.deadline or fields.Date.context_today(feedback),
                user_id=feedback.owner_user_id.id,
                summary=self.env._("Answer the customer's feedback: %s", feedback.subject),
            )
        with engine_writes():
            routable.write({"state": "routed"})
        return routable

    # ------------------------------------------------------------------ actions
    def _neiqin_check_state(self, allowed, action):
        wrong = self.filtered(lambda f: f.state not in allowed)
        if wrong:
            raise UserError(
                self.env._(
                    "%(action)s: feedback %(names)s is not in a state that allows it.",
                    action=action,
                    names=", ".join(wrong.mapped("subject")),
                )
            )

    def action_route(self):
        """Send new feedback to its department and owner."""
        require_group(self.env, CLERK, self.env._("Only the back office routes feedback."))
        self._neiqin_check_state(("new",), self.env._("Route"))
        missing = self.filtered(lambda f: not (f.department_id and f.owner_user_id))
        if missing:
            raise UserError(
                self.env._(
                    "Choose a department and an owner before routing feedback %s.",
                    ", ".join(missing.mapped("subject")),
                )
            )
        self._neiqin_route()
        return True

    def action_start(self):
        require_group(self.env, CLERK, self.env._("Only the back office works on feedback."))
        self._neiqin_check_state(("routed",), self.env._("Start"))
        with engine_writes():
            self.write({"state": "in_progress"})
        return True

    def action_done(self):
        require_group(self.env, CLERK, self.env._("Only the back office closes feedback."))
        self._neiqin_check_state(("routed", "in_progress"), self.env._("Done"))
        with engine_writes():
            self.write({"state": "done"})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_reject(self):
        require_group(self.env, LEAD, self.env._("Only a lead rejects feedback."))
        self._neiqin_check_state(("new", "routed", "in_progress"), self.env._("Reject"))
        with engine_writes():
            self.write({"state": "rejected"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True
