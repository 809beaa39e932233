from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from odoo.addons.neiqin_base.engine.guard import require_group

CLERK = "neiqin_base.group_neiqin_clerk"


class NeiqinReplyWizard(models.TransientModel):
    """Send a standard reply on a ticket: the templates that suit it first,
    the chosen one's text filled for the ticket, editable, then posted to
    the customer."""

    _name = "neiqin.reply.wizard"
    _description = "Send a standard reply"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="ticket_id.partner_id", string="Customer")
    suggested_template_ids = fields.Many2many(
        "neiqin.reply.template",
        compute="_compute_suggested_template_ids",
        string="Suggested Replies",
    )
    template_id = fields.Many2one(
        "neiqin.reply.template",
        string="Standard Reply",
        compute="_compute_template_id",
        store=True,
        readonly=False,
        domain="[('id', 'in', suggested_template_ids)]",
    )
    body = fields.Text(
        compute="_compute_body",
        store=True,
        readonly=False,
        help="The reply as the customer will read it; change it freely before sending.",
    )

    @api.constrains("ticket_id")
    def _check_ticket_id(self):
        # The wizard's ticket comes from the caller: it must be one the
        # user may read (record rules of their helpdesk teams).
        self.ticket_id.check_access("read")

    @api.depends("ticket_id")
    def _compute_suggested_template_ids(self):
        for wizard in self:
            wizard.suggested_template_ids = wizard.ticket_id._neiqin_reply_templates()

    @api.depends("ticket_id")
    def _compute_template_id(self):
        for wizard in self:
            wizard.template_id = wizard.suggested_template_ids[:1]

    @api.depends("template_id")
    def _compute_body(self):
        for wizard in self:
            if wizard.template_id and wizard.ticket_id:
                ticket = wizard.ticket_id
                wizard.body = wizard.template_id._neiqin_render(ticket)[ticket.id]
            else:
                wizard.body = False

    def action_send(self):
        """Post the reply on the ticket as a message to its customer and
        count the template's use."""
        self.ensure_one()
        require_group(
            self.env, CLERK, self.env._("Only the after-sales clerks send standard replies.")
        )
        ticket = self.ticket_id
        if not (self.body or "").strip():
            raise UserError(self.env._("The reply is empty: choose a standard reply or write one."))
        if not ticket.partner_id:
            raise UserError(
                self.env._("Ticket %(ticket)s has no customer to reply to.", ticket=ticket.number)
            )
        if self.template_id and self.template_id not in ticket._neiqin_reply_templates():
            raise UserError(
                self.env._(
                    "The standard reply %(template)s does not serve ticket %(ticket)s.",
                    template=self.template_id.name,
                    ticket=ticket.number,
                )
            )
        # The reply is the clerk's plain text: escaped, never interpreted.
        ticket.message_post(
            body=plaintext2html(self.body),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=ticket.partner_id.ids,
        )
        self.template_id._neiqin_mark_used()
        return {"type": "ir.actions.act_window_close"}
