from odoo import api, fields, models

from ..engine.guard import require_group


class NeiqinDqMixin(models.AbstractModel):
    """Shows a record's open data-quality issues and checks it on demand."""

    _name = "neiqin.dq.mixin"
    _description = "Data-quality mixin"

    neiqin_dq_issue_ids = fields.One2many(
        "neiqin.dq.issue",
        "res_id",
        string="Data Issues",
        domain=lambda self: [("res_model", "=", self._name), ("state", "=", "open")],
        groups="neiqin_base.group_neiqin_clerk",
    )
    neiqin_dq_issue_count = fields.Integer(
        string="Open Data Issues",
        compute="_compute_neiqin_dq_issue_count",
        groups="neiqin_base.group_neiqin_clerk",
    )
    neiqin_dq_has_blocking = fields.Boolean(
        string="Has Blocking Issue",
        compute="_compute_neiqin_dq_issue_count",
        groups="neiqin_base.group_neiqin_clerk",
    )

    @api.depends("neiqin_dq_issue_ids.state")
    def _compute_neiqin_dq_issue_count(self):
        counts = {}
        blocking = set()
        if self.ids:
            for res_id, severity, count in self.env["neiqin.dq.issue"]._read_group(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("state", "=", "open"),
                ],
                ["res_id", "severity"],
                ["__count"],
            ):
                counts[res_id] = counts.get(res_id, 0) + count
                if severity == "blocking":
                    blocking.add(res_id)
        for record in self:
            record.neiqin_dq_issue_count = counts.get(record.id, 0)
            record.neiqin_dq_has_blocking = record.id in blocking

    def _neiqin_dq_rules(self):
        """The active rules of the model, whoever asks: which rules check a
        record is the engine's configuration, not the caller's choice."""
        return self.env["neiqin.dq.rule"].sudo().search([("model_name", "=", self._name)])

    def _neiqin_dq_check(self, rules=None):
        """Check these records now against ``rules`` (default: every active
        rule of the model); return their open issues. The check runs as the
        engine (see ``neiqin.dq.rule._check_records``)."""
        rules = self._neiqin_dq_rules() if rules is None else rules
        return rules._check_records(self)

    def action_neiqin_dq_issues(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("neiqin_base.action_neiqin_dq_issue")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {"search_default_filter_open": 1}
        return action

    def action_neiqin_dq_check(self):
        require_group(
            self.env,
            "neiqin_base.group_neiqin_clerk",
            self.env._("Only back-office staff can check records against the data rules."),
        )
        # Checked as the engine, on records the user may read.
        self.check_access("read")
        self._neiqin_dq_check()
        return self.action_neiqin_dq_issues()
