from odoo import api, fields, models


class NeiqinInfoReviewWizard(models.TransientModel):
    """The reason of a review decision on product information: sending it
    back to its editor, or a manager approving their own edit (the four
    eyes waived). The decision checks the user's role itself."""

    _name = "neiqin.info.review.wizard"
    _description = "Product information review decision"

    mode = fields.Selection(
        [("send_back", "Send Back"), ("approve_own", "Approve Own Edit")],
        required=True,
        default="send_back",
    )
    product_tmpl_ids = fields.Many2many("product.template", string="Products", required=True)
    reason = fields.Text(
        required=True,
        help="Kept in the products' chatter (and on the product for an own approval).",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "product.template" and context.get("active_ids"):
            values["product_tmpl_ids"] = [fields.Command.set(list(context["active_ids"]))]
        return values

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "approve_own":
            self.product_tmpl_ids._neiqin_info_approve_own(self.reason)
        else:
            self.product_tmpl_ids._neiqin_info_send_back(self.reason)
        return {"type": "ir.actions.act_window_close"}
