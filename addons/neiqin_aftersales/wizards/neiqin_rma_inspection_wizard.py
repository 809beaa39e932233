from odoo import api, fields, models

from ..models.rma_returns import INSPECTION_RESULTS


class NeiqinRmaInspectionWizard(models.TransientModel):
    """The inspection of received goods (质检): its result decides what the
    return does next."""

    _name = "neiqin.rma.inspection.wizard"
    _description = "Inspect Returned Goods"

    rma_id = fields.Many2one("rma", required=True, readonly=True)
    result = fields.Selection(INSPECTION_RESULTS, required=True)
    note = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        self.rma_id._neiqin_record_inspection(self.result, self.note)
        return {"type": "ir.actions.act_window_close"}


class NeiqinRmaDecisionWizard(models.TransientModel):
    """A lead's decision on a return with missing parts: the quantity
    refunded or replaced."""

    _name = "neiqin.rma.decision.wizard"
    _description = "Decide on Missing Parts"

    rma_id = fields.Many2one("rma", required=True, readonly=True)
    quantity = fields.Float(digits="Product Unit of Measure", required=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            rma_id = vals.get("rma_id") or self.env.context.get("default_rma_id")
            if "quantity" not in vals and rma_id:
                # The whole quantity returned, unless the lead says less.
                vals["quantity"] = self.env["rma"].browse(rma_id).product_uom_qty
        return super().create(vals_list)

    def action_confirm(self):
        self.ensure_one()
        self.rma_id._neiqin_decide(self.quantity)
        return {"type": "ir.actions.act_window_close"}
