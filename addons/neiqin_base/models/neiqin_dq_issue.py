from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from ..engine.actions import document_action, result_notification
from ..engine.guard import engine_writes, require_group

# What the engine found and decided: written by the issue filer (the rule
# engine) and by the lead's actions, never by a create or write of a user.
# People assign issues (owner, team), discuss them (note, chatter) and, for
# leads, accept or reopen them through the actions.
ENGINE_FIELDS = {
    "rule_id",
    "res_model",
    "res_id",
    "res_name",
    "company_id",
    "severity",
    "severity_sequence",
    "state",
    "state_sequence",
    "duplicate_key",
    "found_at",
    "closed_at",
    "reopen_count",
    "last_reopened_at",
}


class NeiqinDqIssue(models.Model):
    """A record found breaking a data-quality rule. Scans open, reopen and
    close issues by themselves; people assign, discuss or accept them.

    Nobody creates an issue by hand: the rule engine files them. Its fields
    (``ENGINE_FIELDS``) are the engine's (``neiqin.engine.mixin``); accepting
    and reopening are a lead's, checked on the server."""

    _name = "neiqin.dq.issue"
    _description = "Data-quality issue"
    _inherit = ["mail.thread", "mail.activity.mixin", "neiqin.engine.mixin"]
    _order = "state_sequence, severity_sequence, found_at desc, id desc"
    _rec_name = "res_name"

    rule_id = fields.Many2one(
        "neiqin.dq.rule", required=True, ondelete="cascade", index=True, readonly=True
    )
    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, readonly=True
    )
    res_name = fields.Char(string="Record", readonly=True)
    company_id = fields.Many2one("res.company", index=True, readonly=True)
    severity = fields.Selection(related="rule_id.severity", store=True, index=True)
    severity_sequence = fields.Integer(compute="_compute_sequences", store=True)
    state = fields.Selection(
        [("open", "Open"), ("closed", "Fixed"), ("ignored", "Accepted")],
        default="open",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        help="Open: the record still breaks the rule. Fixed: closed by a scan once the "
        "record was corrected. Accepted: a lead decided the exception is fine.",
    )
    state_sequence = fields.Integer(compute="_compute_sequences", store=True)
    # What is wrong, in the language of whoever reads it: the rule's
    # (translated) message, not a copy made in the language of the scan.
    message = fields.Char(
        compute="_compute_message",
        search="_search_message",
        help="What is wrong with the record: the rule's message, or its name when it has none.",
    )
    duplicate_key = fields.Char(
        string="Duplicate Value",
        readonly=True,
        help="Duplicate-key rules: the value the records of the group share.",
    )
    found_at = fields.Datetime(readonly=True, default=fields.Datetime.now)
    closed_at = fields.Datetime(string="Fixed On", readonly=True)
    reopen_count = fields.Integer(string="Reopened", readonly=True, default=0)
    last_reopened_at = fields.Datetime(readonly=True)
    owner_user_id = fields.Many2one("res.users", string="Owner", tracking=True, index=True)
    owner_team_id = fields.Many2one("neiqin.team", string="Team", tracking=True, index=True)
    note = fields.Text()

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | ENGINE_FIELDS

    def init(self):
        self.env.cr.execute(
            """
            DROP INDEX IF EXISTS neiqin_dq_issue_rule_res_idx;
            CREATE INDEX IF NOT EXISTS neiqin_dq_issue_res_rule_idx
                ON neiqin_dq_issue (res_id, rule_id);
            CREATE INDEX IF NOT EXISTS neiqin_dq_issue_res_open_idx
                ON neiqin_dq_issue (res_model, res_id) WHERE state = 'open';
            CREATE INDEX IF NOT EXISTS neiqin_dq_issue_key_open_idx
                ON neiqin_dq_issue (duplicate_key, rule_id) WHERE state = 'open';
            """
        )

    @api.model
    def _close_deleted(self, model_name, res_ids):
        """Close the open issues of deleted records of ``model_name``, and
        check again the other members of their duplicate groups."""
        # The engine's bookkeeping: whoever deletes a record may not have
        # the right to edit issues, and only the state of these, and of the
        # other members' issues, is written.
        issues = self.sudo().search(
            [("res_model", "=", model_name), ("res_id", "in", res_ids), ("state", "=", "open")]
        )
        if not issues:
            return
        issues.with_context(tracking_disable=True).write(
            {"state": "closed", "closed_at": fields.Datetime.now()}
        )
        grouped = issues.filtered("duplicate_key")
        others = self.sudo().search(
            [
                ("rule_id", "in", grouped.rule_id.ids),
                ("state", "=", "open"),
                ("duplicate_key", "in", grouped.mapped("duplicate_key")),
            ]
        )
        for rule, group in others.grouped("rule_id").items():
            # ``model_name`` is the model whose records are being deleted (the
            # unlink override's own name), the ids those the engine filed:
            # neither is chosen by a caller.
            rule._check_records(self.env[model_name].sudo().browse(group.mapped("res_id")))

    @api.model
    def _sequences(self, state, severity):
        """The sort keys of an issue: open first, then the most severe."""
        return {
            "state_sequence": {"open": 0, "ignored": 1, "closed": 2}.get(state, 9),
            "severity_sequence": {"blocking": 0, "warning": 1, "info": 2}.get(severity, 9),
        }

    @api.depends("state", "severity")
    def _compute_sequences(self):
        for issue in self:
            issue.update(self._sequences(issue.state, issue.severity))

    @api.depends("rule_id.message", "rule_id.name")
    @api.depends_context("lang")
    def _compute_message(self):
        # Whoever may read an issue may read what its rule says of it: the
        # rule is the one the engine filed the issue for, not the caller's
        # choice, and a rule of another company still names its issues.
        for issue in self:
            rule = issue.rule_id.sudo()
            issue.message = rule.message or rule.name

    def _search_message(self, operator, value):
        """Issues whose rule says ``value`` in the reader's language (its
        message, or its name when it has none)."""
        positive = operator not in expression.NEGATIVE_TERM_OPERATORS
        if not positive:
            operator = expression.TERM_OPERATORS_NEGATION[operator]
        says = [
            "|",
            ("message", operator, value),
            "&",
            ("message", "=", False),
            ("name", operator, value),
        ]
        return [("rule_id", "any" if positive else "not any", says)]

    def action_accept(self):
        """A lead accepts the exception: scans leave the issue alone, and a
        blocking issue no longer stops its document."""
        _ = self.env._
        require_group(
            self.env,
            "neiqin_base.group_neiqin_lead",
            _("Only a back-office lead can accept a data-quality exception."),
        )
        if self.filtered(lambda issue: issue.state != "open"):
            raise UserError(_("Only open data-quality issues can be accepted."))
        # The lead's own rights on the issues apply (record and company
        # rules); only the state is the engine's.
        self.check_access("write")
        with engine_writes():
            self.write({"state": "ignored", "closed_at": fields.Datetime.now()})

    def action_reopen(self):
        """A lead takes back an accepted exception: scans check it again."""
        _ = self.env._
        require_group(
            self.env,
            "neiqin_base.group_neiqin_lead",
            _("Only a back-office lead can reopen an accepted data-quality exception."),
        )
        if self.filtered(lambda issue: issue.state != "ignored"):
            raise UserError(_("Only accepted data-quality issues can be reopened."))
        self.check_access("write")
        with engine_writes():
            self.write({"state": "open", "closed_at": False})

    def action_recheck(self):
        """Check the records of these issues again now."""
        require_group(
            self.env,
            "neiqin_base.group_neiqin_clerk",
            self.env._("Only back-office staff can check data-quality issues again."),
        )
        # The user must be allowed to work on these issues; the check then
        # runs as the engine, on the rules and records the issues name
        # (written by the engine only, not chosen by the caller).
        self.check_access("write")
        for rule in self.rule_id.sudo():
            issues = self.filtered(lambda i, r=rule: i.rule_id == r)
            rule._check_records(rule.env[rule.model_name].browse(issues.mapped("res_id")))
        self.invalidate_recordset(["state"])
        fixed = self.filtered(lambda i: i.state == "closed")
        still = self.filtered(lambda i: i.state == "open")
        lines = [
            label % ", ".join(issues.mapped("res_name"))
            for label, issues in (
                (self.env._("Fixed: %s"), fixed),
                (self.env._("Still wrong: %s"), still),
            )
            if issues
        ]
        return result_notification(
            self.env._("Checked again"), lines or [self.env._("No change.")], warning=bool(still)
        )

    def action_open_record(self):
        self.ensure_one()
        return document_action(self.res_model, self.res_id)
