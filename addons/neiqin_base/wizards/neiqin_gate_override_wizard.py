from odoo import api, fields, models
from odoo.exceptions import UserError


class NeiqinGateOverrideWizard(models.TransientModel):
    """A lead overrides the review exceptions of records at a gate, with a
    reason kept on each record and in its chatter."""

    _name = "neiqin.gate.override.wizard"
    _description = "Override review exceptions"

    res_model = fields.Char(string="Model", readonly=True, required=True)
    res_ids = fields.Json(string="Record IDs", readonly=True, required=True)
    record_names = fields.Text(string="Records", compute="_compute_exceptions")
    exception_summary = fields.Text(string="Exceptions", compute="_compute_exceptions")
    reason = fields.Text(required=True, help="Kept on each record and in its chatter.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") and context.get("active_ids"):
            values["res_model"] = context["active_model"]
            values["res_ids"] = list(context["active_ids"])
        return values

    def _valid(self):
        model = self.env.get(self.res_model or "")
        return (
            model is not None
            and bool(getattr(model, "_neiqin_gate", None))
            and isinstance(self.res_ids, list)
            and all(isinstance(res_id, int) for res_id in self.res_ids)
        )

    def _records(self):
        """The records of the wizard, as the user: only a model with a review
        gate, only ids (the caller's) read with the user's rights."""
        self.ensure_one()
        if not self._valid():
            raise UserError(self.env._("%s has no review exceptions to override.", self.res_model))
        return self.env[self.res_model].browse(self.res_ids)

    @api.depends("res_model", "res_ids")
    def _compute_exceptions(self):
        for wizard in self:
            if not wizard._valid():
                wizard.record_names = wizard.exception_summary = False
                continue
            records = wizard._records()
            wizard.record_names = ", ".join(records.mapped("display_name"))
            wizard.exception_summary = records._neiqin_exception_message(
                records._neiqin_blocking_issues()
            )

    def action_override(self):
        self._records()._neiqin_override(self.reason)
        return {"type": "ir.actions.act_window_close"}
