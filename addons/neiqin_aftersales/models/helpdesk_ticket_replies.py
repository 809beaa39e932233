from odoo import api, fields, models
from odoo.tools.misc import format_amount, format_datetime

from odoo.addons.neiqin_base.engine.guard import require_group

CLERK = "neiqin_base.group_neiqin_clerk"


class HelpdeskTicket(models.Model):
    """Standard replies and the service flow sheet on the ticket."""

    # One file per feature of the ticket (see helpdesk_ticket.py).
    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    neiqin_flow_line_id = fields.Many2one(
        "neiqin.service.flow.line",
        string="Flow Sheet Step",
        compute="_compute_neiqin_flow",
        groups=CLERK,
        help="The line of the service flow sheet for the ticket's service type, category "
        "and current step.",
    )
    neiqin_flow_instructions = fields.Text(
        string="What to Do", compute="_compute_neiqin_flow", groups=CLERK
    )
    neiqin_flow_reply_template_ids = fields.Many2many(
        "neiqin.reply.template",
        string="Suggested Replies",
        compute="_compute_neiqin_flow",
        groups=CLERK,
    )

    @api.depends("neiqin_service_type", "category_id", "neiqin_step_id", "company_id")
    @api.depends_context("company")
    def _compute_neiqin_flow(self):
        lines = self.env["neiqin.service.flow.line"].search(
            [
                ("flow_id.service_type", "in", list(set(self.mapped("neiqin_service_type")))),
                ("step_id", "in", self.neiqin_step_id.ids),
            ]
        )
        for ticket in self:
            matching = lines.filtered(
                lambda line, t=ticket: line.flow_id.service_type == t.neiqin_service_type
                and line.step_id == t.neiqin_step_id
                and (not line.flow_id.category_id or line.flow_id.category_id == t.category_id)
                and (not line.company_id or line.company_id == t.company_id)
            )
            # The most specific sheet first: its category's, its company's.
            line = matching.sorted(
                lambda line: (
                    not line.flow_id.category_id,
                    not line.company_id,
                    line.flow_id.sequence,
                    line.sequence,
                    line.id,
                )
            )[:1]
            ticket.neiqin_flow_line_id = line
            ticket.neiqin_flow_instructions = line.instructions
            ticket.neiqin_flow_reply_template_ids = line.reply_template_ids

    def action_neiqin_reply(self):
        """Open the standard reply wizard on this ticket."""
        self.ensure_one()
        require_group(
            self.env, CLERK, self.env._("Only the after-sales clerks send standard replies.")
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Standard Reply"),
            "res_model": "neiqin.reply.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def _neiqin_reply_lang(self):
        """The language the ticket's customer reads."""
        self.ensure_one()
        return self.partner_id.lang or self.company_id.partner_id.lang or self.env.lang or "en_US"

    def _neiqin_reply_tz(self):
        self.ensure_one()
        return self.partner_id.tz or self.company_id.partner_id.tz or self.env.user.tz or "UTC"

    def _neiqin_reply_values(self):
        """{ticket id: {placeholder: value}} of the standard replies'
        placeholders (neiqin.reply.template), for the whole set with a
        constant number of queries."""
        self.check_access("read")
        # sudo: the tickets were just checked readable by the user; only the
        # values a reply shows to the ticket's own customer are read, from
        # its orders, deliveries and returns, which a clerk of the desk may
        # not read (deliveries and invoices belong to other roles).
        tickets = self.sudo()
        first_orders = {t.id: t.sale_order_ids.sorted("id")[:1] for t in tickets}
        orders = self.env["sale.order"].sudo().concat(*first_orders.values())
        order_values = orders._neiqin_notice_values() if orders else {}
        # Read the returns' refunds and warehouses of every ticket at once.
        tickets.neiqin_rma_ids.refund_id.mapped("amount_total")
        tickets.neiqin_rma_ids.warehouse_id.partner_id.mapped("name")
        values = {}
        for ticket in tickets:
            order = first_orders[ticket.id]
            lang = ticket._neiqin_reply_lang()
            refunds = ticket.neiqin_rma_ids.refund_id
            refund_amount = ""
            if refunds:
                refund_amount = format_amount(
                    self.env,
                    sum(refunds.mapped("amount_total")),
                    refunds[0].currency_id,
                    lang,
                )
            deadline = ""
            if ticket.neiqin_step_deadline_at:
                deadline = format_datetime(
                    self.env,
                    ticket.neiqin_step_deadline_at,
                    tz=ticket._neiqin_reply_tz(),
                    dt_format="short",
                    lang_code=lang,
                )
            values[ticket.id] = {
                **dict.fromkeys(
                    ("order", "platform_order_no", "carrier", "tracking_number", "amount"), ""
                ),
                **order_values.get(order.id, {}),
                "customer": ticket.partner_id.name or ticket.partner_name or "",
                "ticket": ticket.number or "",
                "refund_amount": refund_amount,
                "return_address": ticket._neiqin_return_address(order),
                "deadline": deadline,
                "agent": ticket.user_id.name or "",
                "shop": ticket.company_id.name or "",
            }
        return values

    def _neiqin_return_address(self, order):
        """Where the customer sends a return: the warehouse of the ticket's
        return, else of its order, else the company's address."""
        self.ensure_one()
        warehouse = self.neiqin_rma_ids.warehouse_id[:1] or order.warehouse_id
        partner = warehouse.partner_id or self.company_id.partner_id
        lines = partner._display_address(without_company=True).splitlines()
        return " ".join(line.strip() for line in [partner.name or "", *lines] if line.strip())

    def _neiqin_reply_templates(self):
        """The standard replies that serve this ticket (its company's, its
        service type's and category's, or any), those of the flow sheet's
        current line, of its current step, of its category and of its
        service type first. A reply of another step still serves: the step
        a reply suits only orders the proposals."""
        self.ensure_one()
        service_type = self.neiqin_service_type
        templates = self.env["neiqin.reply.template"].search(
            [
                "|",
                ("service_type_ids", "=", False),
                ("service_type_ids.code", "=", service_type),
                "|",
                ("category_id", "=", False),
                ("category_id", "=", self.category_id.id),
                "|",
                ("company_id", "=", False),
                ("company_id", "=", self.company_id.id),
            ]
        )
        flow_templates = self.neiqin_flow_line_id.reply_template_ids

        def rank(template):
            return (
                template not in flow_templates,
                0 if template.step_id == self.neiqin_step_id else 2 if template.step_id else 1,
                not template.category_id,
                not template.service_type_ids,
                template.sequence,
                template.id,
            )

        return templates.sorted(rank)
