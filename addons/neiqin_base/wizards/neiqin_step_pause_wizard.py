from odoo import fields, models
from odoo.exceptions import UserError


class NeiqinStepPauseWizard(models.TransientModel):
    _name = "neiqin.step.pause.wizard"
    _description = "Pause a process step"

    reason = fields.Char(
        required=True, help="Why the clock stops, e.g. waiting for the customer's reply."
    )

    def action_pause(self):
        self.ensure_one()
        model = self.env.context.get("active_model")
        ids = self.env.context.get("active_ids") or []
        if not model or model not in self.env or "neiqin_step_id" not in self.env[model]._fields:
            raise UserError(self.env._("Nothing to pause: open this from a document in a process."))
        records = self.env[model].browse(ids)
        records._neiqin_check_step_rights()
        # The engine pauses the passages of documents the user may edit.
        records.check_access("write")
        records._neiqin_pause(self.reason)
        return {"type": "ir.actions.act_window_close"}
