from odoo import fields, models

from odoo.addons.neiqin_base.engine.guard import require_group

# The return kind a ticket's service type proposes.
KIND_BY_SERVICE_TYPE = {
    "return": "return_refund",
    "exchange": "exchange",
    "refund": "refund_only",
    "resend": "resend",
}


class HelpdeskTicket(models.Model):
    # One file per feature of the ticket (see helpdesk_ticket.py).
    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    neiqin_rma_count = fields.Integer(string="Returns Count", compute="_compute_neiqin_rma_count")

    def _compute_neiqin_rma_count(self):
        counts = dict(
            self.env["rma"]._read_group(
                [("neiqin_ticket_id", "in", self.ids)], ["neiqin_ticket_id"], ["__count"]
            )
        )
        for ticket in self:
            ticket.neiqin_rma_count = counts.get(ticket, 0)

    def action_neiqin_create_return(self):
        """Button (clerks): open the return wizard on this ticket's orders."""
        self.ensure_one()
        require_group(
            self.env,
            "neiqin_base.group_neiqin_clerk",
            self.env._("Only after-sales staff can create returns."),
        )
        wizard = self.env["neiqin.ticket.return.wizard"].create({"ticket_id": self.id})
        return {
            "name": self.env._("Create Return"),
            "type": "ir.actions.act_window",
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_neiqin_view_returns(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("rma.rma_action")
        action.update(
            domain=[("neiqin_ticket_id", "=", self.id)],
            context={"default_neiqin_ticket_id": self.id},
        )
        return action
