from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.neiqin_base.engine.guard import engine_writes, require_group


class HelpdeskTicket(models.Model):
    """Customer satisfaction (客户满意度) of a ticket: the rating request
    when the ticket enters the ``rating`` step, once per ticket, and the
    follow-up of a low rating."""

    # One file per feature of the ticket (see helpdesk_ticket.py).
    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    neiqin_rating_requested_at = fields.Datetime(
        string="Rating Requested On",
        readonly=True,
        copy=False,
        help="When the customer was asked to rate the service (asked once per ticket).",
    )
    neiqin_is_low_rated = fields.Boolean(
        string="Low Rating",
        compute="_compute_neiqin_is_low_rated",
        help="The customer's rating is at or below the company's low rating threshold.",
    )
    neiqin_complaint_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Complaint Ticket",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The complaint opened after the customer's low rating of this ticket.",
    )

    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | {
            "neiqin_rating_requested_at",
            "neiqin_complaint_ticket_id",
        }

    @api.depends("rating_last_value", "company_id.neiqin_low_rating_threshold")
    def _compute_neiqin_is_low_rated(self):
        for ticket in self:
            threshold = (ticket.company_id or self.env.company).neiqin_low_rating_threshold
            ticket.neiqin_is_low_rated = 0 < ticket.rating_last_value <= threshold

    # ---------------------------------------------------------------- request
    def _neiqin_on_rating_step(self):
        """Tickets entering the satisfaction rating step: ask their customer
        to rate the service."""
        # Called by the flow when tickets enter the step (helpdesk_ticket_flow.py).
        result = super()._neiqin_on_rating_step()
        self._neiqin_send_rating_request()
        return result

    def _neiqin_rating_askable(self):
        """Tickets whose customer may be asked now: one with an address,
        never asked, never rated."""
        return self.filtered(
            lambda t: t.partner_id.email
            and not t.neiqin_rating_requested_at
            and t.rating_status != "no_rate"
            and not t.rating_ids.filtered("consumed")
        )

    def _neiqin_send_rating_request(self):
        """Send the rating request e-mail once per ticket."""
        template = self.env.ref(
            "neiqin_aftersales.mail_template_ticket_rating_request", raise_if_not_found=False
        )
        tickets = self._neiqin_rating_askable()
        if not template or not tickets:
            return tickets.browse()
        for ticket in tickets:
            ticket.rating_send_request(template, lang=ticket.partner_id.lang, force_send=False)
        with engine_writes():
            tickets.write({"neiqin_rating_requested_at": fields.Datetime.now()})
        return tickets

    def _rating_get_access_token(self, partner=None):
        # One rating per ticket and customer: once rated, the same token
        # rates again (the rating is updated), no second rating is made.
        self.check_access("read")
        partner = partner or self._rating_get_partner()
        # The ratings of this ticket, which the caller may read (checked
        # above); rating.rating is not readable by every caller.
        rating = self.rating_ids.sudo().filtered(lambda r: r.partner_id == partner)[:1]
        if rating:
            return rating.access_token
        return super()._rating_get_access_token(partner=partner)

    def _neiqin_portal_rating_token(self):
        """The token of the customer's rating of this ticket, for the portal
        page (the page is shown to the ticket's customer only)."""
        self.ensure_one()
        if not self.neiqin_rating_requested_at:
            return False
        return self._rating_get_access_token()

    # ---------------------------------------------------------------- low rating
    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        rating = super().rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        low = self.filtered(
            lambda t: 0 < rate <= (t.company_id or self.env.company).neiqin_low_rating_threshold
        )
        low._neiqin_follow_up_low_rating(rate)
        return rating

    def _neiqin_low_rating_lead(self):
        self.ensure_one()
        service_team = self.env.ref(
            "neiqin_aftersales.team_customer_service", raise_if_not_found=False
        )
        return (service_team and service_team.lead_user_id) or self.team_id.user_id

    def _neiqin_follow_up_low_rating(self, rate):
        """A follow-up activity for the service lead, once per ticket and
        lead (a customer changing their rating does not add another)."""
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for ticket in self:
            lead = ticket._neiqin_low_rating_lead()
            if not lead or ticket.activity_ids.filtered(
                lambda a, lead=lead: a.activity_type_id == activity_type
                and a.user_id == lead
                and a.neiqin_is_low_rating_follow_up
            ):
                continue
            activity = ticket.activity_schedule(
                act_type_xmlid="mail.mail_activity_data_todo",
                user_id=lead.id,
                summary=self.env._("Low rating (%(rate)s/5): call the customer back", rate=rate),
                note=self.env._(
                    "The customer rated ticket %(ticket)s %(rate)s/5. Call them back and, "
                    "if needed, open a complaint from the ticket.",
                    ticket=ticket.display_name,
                    rate=rate,
                ),
            )
            activity.neiqin_is_low_rating_follow_up = True

    def action_neiqin_open_complaint(self):
        """Open a complaint ticket of the same customer and orders after a
        low rating."""
        require_group(
            self.env,
            "neiqin_base.group_neiqin_clerk",
            self.env._("Only the back office opens complaint tickets."),
        )
        self.ensure_one()
        if not self.neiqin_is_low_rated:
            raise UserError(
                self.env._(
                    "Ticket %s has no low rating: open a complaint ticket as any other ticket.",
                    self.display_name,
                )
            )
        if not self.neiqin_complaint_ticket_id:
            complaint = self.create(self._neiqin_complaint_values())
            with engine_writes():
                self.neiqin_complaint_ticket_id = complaint
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": self.neiqin_complaint_ticket_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _neiqin_complaint_values(self):
        self.ensure_one()
        values = {
            "name": self.env._("Complaint: %s", self.name),
            "description": Markup("<p>%s</p>")
            % self.env._(
                "Opened after the customer's low rating (%(rate)s/5) of ticket %(ticket)s.",
                rate=int(self.rating_last_value),
                ticket=self.number or self.name,
            ),
            "partner_id": self.partner_id.id,
            "team_id": self.team_id.id,
            "company_id": self.company_id.id,
            "neiqin_service_type": "complaint",
        }
        if "sale_order_ids" in self._fields and self.sale_order_ids:
            values["sale_order_ids"] = [Command.set(self.sale_order_ids.ids)]
        return values

    # ---------------------------------------------------------------- feedback
    def action_neiqin_record_feedback(self):
        """A new feedback of this ticket's customer, filled from the ticket."""
        require_group(
            self.env,
            "neiqin_base.group_neiqin_clerk",
            self.env._("Only the back office records feedback."),
        )
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Feedback"),
            "res_model": "neiqin.feedback",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_ticket_id": self.id,
                "default_partner_id": self.partner_id.id,
                "default_subject": self.name,
                "default_company_id": self.company_id.id,
                "default_kind": "service",
            },
        }
