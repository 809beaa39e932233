from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from odoo.addons.neiqin_base.engine.guard import engine_writes

COMPLAINT_SEVERITIES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]
# A return in one of these states is settled; any other state is still open.
RMA_FINAL_STATES = ("refunded", "returned", "replaced", "finished", "locked", "cancelled")


class HelpdeskTicket(models.Model):
    """The ticket's service flow: its steps follow the work (the first staff
    answer ends the enquiry, closing goes on to the rating), a stage waiting
    for the customer stops the clock, closing goes through the gate, and a
    complaint with an internal cause records a responsibility on the order
    step at fault."""

    # One file per feature of the ticket (see helpdesk_ticket.py).
    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    neiqin_product_ids = fields.Many2many(
        "product.product",
        "helpdesk_ticket_neiqin_product_rel",
        "ticket_id",
        "product_id",
        string="Products Concerned",
        check_company=True,
    )
    neiqin_order_product_ids = fields.Many2many(
        "product.product",
        string="Products of the Orders",
        compute="_compute_neiqin_order_product_ids",
        help="The products of the linked orders, offered first as the products concerned.",
    )
    neiqin_complaint_severity = fields.Selection(
        COMPLAINT_SEVERITIES, string="Complaint Severity", tracking=True
    )
    neiqin_complaint_cause_id = fields.Many2one(
        "neiqin.complaint.cause", string="Root Cause", tracking=True, ondelete="restrict"
    )
    neiqin_cause_is_internal = fields.Boolean(related="neiqin_complaint_cause_id.is_internal")
    neiqin_responsibility_id = fields.Many2one(
        "neiqin.responsibility",
        string="Responsibility Record",
        readonly=True,
        copy=False,
        groups="neiqin_base.group_neiqin_clerk",
        help="Recorded when the complaint was closed with an internal root cause.",
    )
    neiqin_waits_for_customer = fields.Boolean(
        related="stage_id.neiqin_waits_for_customer", string="Waiting for the Customer"
    )

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | {"neiqin_responsibility_id"}

    @api.depends("sale_order_ids.order_line.product_id")
    def _compute_neiqin_order_product_ids(self):
        for ticket in self:
            ticket.neiqin_order_product_ids = ticket.sale_order_ids.order_line.product_id

    @api.onchange("sale_order_ids")
    def _onchange_neiqin_sale_orders(self):
        # The orders bring their customer when the ticket has none yet.
        if self.sale_order_ids and not self.partner_id:
            self.partner_id = self.sale_order_ids[:1].partner_id

    @api.constrains("sale_order_ids", "partner_id")
    def _check_neiqin_orders_customer(self):
        for ticket in self:
            # The customer's company and its contacts are one customer.
            customers = ticket.sale_order_ids.partner_id.commercial_partner_id
            if ticket.partner_id:
                customers |= ticket.partner_id.commercial_partner_id
            if len(customers) > 1:
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s may only link orders of its own customer: %(orders)s "
                        "belong to %(customers)s.",
                        ticket=ticket.display_name,
                        orders=", ".join(ticket.sale_order_ids.mapped("name")),
                        customers=", ".join(customers.mapped("display_name")),
                    )
                )

    # ------------------------------------------------------------ stages
    @api.model_create_multi
    def create(self, vals_list):
        # A ticket made directly in a closing stage is made open, then
        # closed as any other: through the gate (its refusal undoes the
        # creation) and its consequences.
        Stage = self.env["helpdesk.ticket.stage"]
        closing = {}
        vals_list = [dict(vals) for vals in vals_list]
        for index, vals in enumerate(vals_list):
            stage = Stage.browse(vals.get("stage_id") or ())
            if stage.closed:
                closing.setdefault(stage.id, []).append(index)
                team = self.env["helpdesk.ticket.team"].browse(vals.get("team_id") or ())
                open_stages = team._get_applicable_stages().filtered(lambda s: not s.closed)
                vals["stage_id"] = open_stages[:1].id
        tickets = super().create(vals_list)
        for stage_id, indexes in closing.items():
            tickets.browse([tickets[i].id for i in indexes]).write({"stage_id": stage_id})
        return tickets

    def write(self, vals):
        stage = None
        if vals.get("stage_id"):
            stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            closing = self.filtered(lambda t: not t.stage_id.closed) if stage.closed else None
            if closing:
                # Every rule is checked on every closing ticket before anything is written.
                closing._neiqin_check_can_proceed(self.env._("Closing"))
            previous = {ticket.id: ticket.stage_id for ticket in self}
        result = super().write(vals)
        if stage is not None:
            self._neiqin_on_stage_change(stage, previous)
        return result

    def _neiqin_on_stage_change(self, stage, previous):
        """Pause, resume, finish or move on the process of these tickets now
        in ``stage`` (``previous``: their stages before, by id)."""
        moved = self.filtered(lambda t: previous[t.id] != stage)
        if stage.closed:
            closed = moved.filtered(lambda t: not previous[t.id].closed)
            closed._neiqin_on_close(stage)
            return
        if stage.neiqin_waits_for_customer:
            running = moved.filtered(lambda t: t.neiqin_step_state == "open")
            if running:
                running._neiqin_pause(self.env._("Waiting for the customer (stage %s)", stage.name))
            return
        waiting = moved.filtered(
            lambda t: t.neiqin_step_state == "paused" and previous[t.id].neiqin_waits_for_customer
        )
        if waiting:
            waiting._neiqin_resume()

    def _neiqin_on_close(self, stage):
        """Closed tickets: a closing stage asking for a rating moves them on
        to the rating step, another one (cancelled, rejected) ends their
        process. Complaints with an internal cause record a responsibility."""
        in_process = self.filtered(lambda t: t.neiqin_step_id and t.neiqin_step_state != "done")
        if stage.neiqin_asks_rating:
            in_process.filtered(lambda t: t.neiqin_step_id.code != "rating")._neiqin_enter_step(
                "rating"
            )
        else:
            in_process._neiqin_finish_step()
        self.filtered(
            lambda t: t.neiqin_service_type == "complaint"
            and t.neiqin_complaint_cause_id.is_internal
        )._neiqin_record_complaint_responsibility()

    # ------------------------------------------------------------ steps
    def _neiqin_enter_step(self, step, process=None):
        before = {ticket.id: ticket.neiqin_step_id.code for ticket in self}
        logs = super()._neiqin_enter_step(step, process=process)
        entered = self.filtered(
            lambda t: t.neiqin_step_id.code == "rating" and before.get(t.id) != "rating"
        )
        if entered:
            entered._neiqin_on_rating_step()
        return logs

    def _neiqin_on_rating_step(self):
        """Hook: these tickets just entered the satisfaction rating step
        (the satisfaction feature asks the customer for a rating here)."""
        return None

    def _neiqin_staff_answered(self):
        """A public answer of the staff ends the enquiry step."""
        self.filtered(lambda t: t.neiqin_step_id.code == "consult")._neiqin_enter_step("diagnose")

    def _neiqin_customer_wrote(self):
        """The customer's message restarts the clock of a ticket waiting for them."""
        # The customer (a portal user, the mail gateway) may not write the
        # ticket: the engine restarts the clock of the tickets the message
        # was just posted on, which the caller was allowed to post on.
        paused = self.sudo().filtered(lambda t: t.neiqin_step_state == "paused")
        if paused:
            paused._neiqin_resume()

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        if message.message_type in ("comment", "email") and not message.subtype_id.internal:
            author = message.author_id
            for ticket in self:
                if author and author == ticket.partner_id:
                    ticket._neiqin_customer_wrote()
                elif author.user_ids.filtered(lambda u: not u.share):
                    ticket._neiqin_staff_answered()
        return result

    # ------------------------------------------------------------ gate
    def _neiqin_fingerprint_values(self):
        """What an override of closing depends on: the service type, the
        root cause, the returns and their states, the customer's last
        message. Another change does not lapse it."""
        self.ensure_one()
        last = self._neiqin_last_customer_messages().get(self.id)
        # The fingerprint compares states only: every user whose override
        # it guards sees the same value, whatever returns they may read.
        return (
            self.neiqin_service_type,
            self.neiqin_complaint_cause_id.id,
            tuple(sorted((rma.id, rma.state) for rma in self.sudo().neiqin_rma_ids)),
            last,
        )

    def _neiqin_last_customer_messages(self):
        """{ticket id: id of its latest comment or e-mail from its customer}."""
        if not self.ids:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (t.id) t.id, m.id
                  FROM helpdesk_ticket t
                  JOIN mail_message m ON m.model = 'helpdesk.ticket' AND m.res_id = t.id
                                     AND m.author_id = t.partner_id
                                     AND m.message_type IN ('comment', 'email')
                 WHERE t.id = ANY(%(ids)s)
                 ORDER BY t.id, m.date DESC, m.id DESC
                """,
                ids=self.ids,
            )
        )
        return dict(self.env.cr.fetchall())

    def _neiqin_dq_check_open_return(self, rule):
        """Tickets with a linked return not settled yet (one query)."""
        self.env["rma"].flush_model(["neiqin_ticket_id", "state"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT neiqin_ticket_id FROM rma
                 WHERE neiqin_ticket_id = ANY(%(ids)s) AND state NOT IN %(final)s
                """,
                ids=self.ids,
                final=RMA_FINAL_STATES,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _neiqin_dq_check_unanswered_message(self, rule):
        """Tickets whose customer's latest comment or e-mail is newer than
        the latest public message of the staff (one query)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT t.id
                  FROM helpdesk_ticket t
                  JOIN LATERAL (
                        SELECT m.date, m.id FROM mail_message m
                         WHERE m.model = 'helpdesk.ticket' AND m.res_id = t.id
                           AND m.author_id = t.partner_id
                           AND m.message_type IN ('comment', 'email')
                         ORDER BY m.date DESC, m.id DESC LIMIT 1
                       ) c ON TRUE
                  LEFT JOIN LATERAL (
                        SELECT m.date, m.id FROM mail_message m
                          JOIN mail_message_subtype s ON s.id = m.subtype_id
                         WHERE m.model = 'helpdesk.ticket' AND m.res_id = t.id
                           AND m.author_id IS DISTINCT FROM t.partner_id
                           AND m.message_type IN ('comment', 'email')
                           AND NOT COALESCE(s.internal, FALSE)
                           AND EXISTS (SELECT 1 FROM res_users u
                                        WHERE u.partner_id = m.author_id AND NOT u.share)
                         ORDER BY m.date DESC, m.id DESC LIMIT 1
                       ) a ON TRUE
                 WHERE t.id = ANY(%(ids)s)
                   AND (a.id IS NULL OR (c.date, c.id) > (a.date, a.id))
                """,
                ids=self.ids,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    # ------------------------------------------------------------ complaints
    def _neiqin_record_complaint_responsibility(self):
        """A responsibility record for each of these complaints, once per
        ticket: on the order step the root cause points to, traced to the
        passage of the linked order through that step when there is one."""
        todo = self.sudo().filtered(lambda t: not t.neiqin_responsibility_id)
        if not todo:
            return
        # The orders come from tickets the user just closed: the user must
        # be able to read them; the passages of another team (dispatch) are
        # then read and the record made as the engine.
        todo.sale_order_ids.with_env(self.env).check_access("read")
        Log = self.env["neiqin.step.log"].sudo()
        Responsibility = self.env["neiqin.responsibility"].sudo()
        for ticket in todo:
            cause = ticket.neiqin_complaint_cause_id
            step = cause.order_step_id
            orders = ticket.sale_order_ids
            log = Log.browse()
            if step and orders:
                log = Log.search(
                    [
                        ("res_model", "=", "sale.order"),
                        ("res_id", "in", orders.ids),
                        ("step_id", "=", step.id),
                    ],
                    order="entered_at desc, id desc",
                    limit=1,
                )
            order = orders.filtered(lambda o, log=log: o.id == log.res_id)[:1] or orders[:1]
            owner = (
                log.owner_user_id
                or (
                    step.owner_user_id
                    if step.owner_type == "user"
                    else step.owner_team_id.lead_user_id
                )
                or ticket.user_id
                or self.env.user
            )
            vals = {
                "company_id": (order.company_id or ticket.company_id).id,
                "responsibility_type": "complaint",
                "res_model": "sale.order" if order else "helpdesk.ticket",
                "res_id": order.id or ticket.id,
                "step_log_id": log.id,
                "step_id": (log.step_id or step).id,
                "owner_user_id": owner.id,
                "owner_team_id": (log.owner_team_id or step.owner_team_id).id,
                "reported_by_id": self.env.user.id,
                "neiqin_ticket_id": ticket.id,
                "cause": self.env._(
                    "Complaint %(ticket)s: %(cause)s",
                    ticket=ticket.display_name,
                    cause=cause.name,
                ),
            }
            with engine_writes():
                record = Responsibility.create(vals)
                ticket.neiqin_responsibility_id = record
            ticket.message_post(
                body=self.env._("Responsibility record %s made from the complaint.", record.name),
                subtype_xmlid="mail.mt_note",
            )
