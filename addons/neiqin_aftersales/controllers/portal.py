"""The portal and public routes of helpdesk_mgmt, rma and rma_sale, each
checking that what it is given belongs to the visitor (record rules) or
that the access token matches, before doing anything.

helpdesk_mgmt's ``/ticket/close`` loads the ticket with sudo by the id the
visitor sends: any portal user could close anyone's ticket. rma's picking
report checks the return's token but not that the delivery is the
return's: a visitor's own token opened anyone's delivery slip. rma_sale's
return request takes order lines and a delivery address by id, unchecked.
"""

import werkzeug

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.rma.controllers.main import PortalRma
from odoo.addons.rma_sale.controllers.sale_portal import CustomerPortal as RmaSalePortal


def _as_id(value):
    """``value`` as a record id, or None when it is not one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def portal_document(model_name, document_id, access_token=None):
    """The record the visitor may reach (their own by record rules, or by
    its access token), with sudo; None when it does not exist or they may
    not. The portal's own check, shared by every route below."""
    document_id = _as_id(document_id)
    if document_id is None:
        return None
    try:
        return CustomerPortal._document_check_access(None, model_name, document_id, access_token)
    except (AccessError, MissingError):
        return None


class NeiqinHelpdeskTicketController(HelpdeskTicketController):
    @http.route("/ticket/close", type="http", auth="user")
    def support_ticket_close(self, **kw):
        """Close the visitor's ticket, to a stage the portal may close to."""
        ticket = portal_document("helpdesk.ticket", kw.get("ticket_id"), kw.get("access_token"))
        if not ticket:
            return werkzeug.utils.redirect("/my")
        if self._neiqin_portal_may_close_to(ticket, _as_id(kw.get("stage_id"))):
            stage = request.env["helpdesk.ticket.stage"].browse(int(kw["stage_id"]))
            # sudo: the visitor owns the ticket or holds its token (checked
            # above); a portal user has no write right on tickets, and the
            # stage is one the portal is meant to close them to.
            ticket.stage_id = stage
        return werkzeug.utils.redirect(f"/my/ticket/{ticket.id}")

    @staticmethod
    def _neiqin_portal_may_close_to(ticket, stage_id):
        """Whether the visitor may move ``ticket`` (theirs) to the stage they
        chose: one they may read (record rules: of their companies), meant
        for closing from the portal, of the ticket's team and company."""
        if not stage_id:
            return False
        stage = request.env["helpdesk.ticket.stage"].browse(stage_id).exists()
        try:
            if not (stage and stage.close_from_portal):
                return False
            company = stage.company_id
        except AccessError:
            return False
        # sudo: the teams of a stage the visitor may read (just checked);
        # the portal has no right on teams themselves.
        teams = stage.sudo().team_ids
        return (not teams or ticket.team_id in teams) and company in (
            ticket.company_id,
            company.browse(),
        )

    def _prepare_submit_ticket_vals(self, **kw):
        """A new ticket of the portal goes to a team of the visitor's own
        companies: helpdesk_mgmt finds the team by the id the form sends,
        with sudo, whatever its company."""
        vals = super()._prepare_submit_ticket_vals(**kw)
        if vals.get("team_id") and vals["team_id"] not in self._neiqin_portal_team_ids():
            vals["team_id"] = False
            vals["stage_id"] = request.env["helpdesk.ticket.team"]._get_applicable_stages()[:1].id
        return vals

    @staticmethod
    def _neiqin_portal_team_ids():
        """The teams a portal ticket may go to: shown in the portal, of the
        visitor's companies or of none. sudo: the portal has no right on
        teams; the search is by the visitor's own companies, never by an id
        the form sent, and only ids are read."""
        companies = request.env.user.company_ids.ids
        return set(
            request.env["helpdesk.ticket.team"]
            .sudo()
            .search([("show_in_portal", "=", True), ("company_id", "in", [False, *companies])])
            .ids
        )


class NeiqinPortalRma(PortalRma):
    def _picking_check_access(self, rma_id, picking_id, access_token=None):
        """The delivery slip of one of the visitor's returns (theirs or by
        the return's token), and only a delivery of that return."""
        rma = portal_document("rma", rma_id, access_token)
        if not rma:
            raise AccessError(request.env._("This return is not yours."))
        pickings = rma.reception_move_id.picking_id | rma.delivery_move_ids.picking_id
        picking = pickings.filtered(lambda p: p.id == picking_id)
        if not picking:
            raise AccessError(request.env._("This delivery is not one of the return's."))
        return picking


class NeiqinRmaSalePortal(RmaSalePortal):
    @http.route(
        ["/my/orders/<int:order_id>/requestrma"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def request_rma(self, order_id, access_token=None, **post):
        """Request returns of the visitor's order: only of its own lines,
        to one of its customer's addresses."""
        order = portal_document("sale.order", order_id, access_token)
        if not order:
            return request.redirect("/my")
        lines = set(order.order_line.ids)
        for name, value in post.items():
            if name.endswith("-sale_line_id") and value and _as_id(value) not in lines:
                return request.redirect("/my")
        shipping = post.get("partner_shipping_id")
        if shipping:
            commercial = order.partner_id.commercial_partner_id
            # sudo: the order's customer's own addresses, found from the
            # order the visitor may reach.
            allowed = request.env["res.partner"].sudo().search([("id", "child_of", commercial.id)])
            if _as_id(shipping) not in set(allowed.ids):
                return request.redirect("/my")
        return super().request_rma(order_id, access_token=access_token, **post)
