"""The employee's job description in the portal (/my/job-description), for
employees whose user is a portal user: their own current description(s)
only, and acknowledging their own pending assignment. Every route finds
the visitor's employees from the visitor alone, never from an id sent."""

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


def visitor_employees():
    """The employees the visitor is: linked by their user, or by their work
    contact (a portal user's partner)."""
    user = request.env.user
    if user._is_public():
        return request.env["hr.employee"].browse()
    # sudo: employees matched on the visitor's own user and partner, which
    # the visitor cannot choose; a portal user has no right on employees.
    return (
        request.env["hr.employee"]
        .sudo()
        .search(["|", ("user_id", "=", user.id), ("work_contact_id", "=", user.partner_id.id)])
    )


def visitor_documents(employees):
    """The current (approved) descriptions of these employees' jobs, with
    their acknowledgements by these employees (sudo, see the callers)."""
    # sudo: the documents of the visitor's own positions only.
    documents = (
        request.env["neiqin.job.document"]
        .sudo()
        .search([("job_id", "in", employees.job_id.ids), ("state", "=", "approved")])
    )
    acks = (
        request.env["neiqin.job.acknowledgement"]
        .sudo()
        .search(
            [
                ("employee_id", "in", employees.ids),
                ("document_id", "in", documents.ids),
                ("state", "in", ("pending", "acknowledged")),
            ]
        )
    )
    return documents, acks


class NeiqinJobDescriptionPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "job_description_count" in counters:
            employees = visitor_employees()
            values["job_description_count"] = (
                len(visitor_documents(employees)[0]) if employees else 0
            )
        return values

    @http.route(["/my/job-description"], type="http", auth="user", website=True)
    def portal_my_job_description(self, **kw):
        """The visitor's current job description(s)."""
        return self._neiqin_render(visitor_employees(), kw.get("acknowledged"))

    @http.route(["/my/job-description/<int:document_id>"], type="http", auth="user", website=True)
    def portal_my_job_description_one(self, document_id, **kw):
        """One of the visitor's current job descriptions; any other is not found."""
        employees = visitor_employees()
        documents, __ = visitor_documents(employees)
        if document_id not in documents.ids:
            return request.not_found()
        return self._neiqin_render(employees, None, documents.browse(document_id))

    @http.route(
        ["/my/job-description/<int:document_id>/acknowledge"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_acknowledge(self, document_id, **kw):
        """Acknowledge the visitor's own pending assignment of the document."""
        employees = visitor_employees()
        __, acks = visitor_documents(employees)
        ack = acks.filtered(lambda a: a.document_id.id == document_id and a.state == "pending")
        if not ack:
            return request.not_found()
        try:
            # The acknowledgement checks again that it is the visitor's own.
            ack[:1].action_acknowledge()
        except UserError:
            return request.not_found()
        return request.redirect("/my/job-description?acknowledged=1")

    def _neiqin_render(self, employees, acknowledged, documents=None):
        all_documents, acks = visitor_documents(employees)
        documents = all_documents if documents is None else documents
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "job_description",
                "documents": documents,
                "pending_ids": set(acks.filtered(lambda a: a.state == "pending").document_id.ids),
                "acknowledged": {
                    ack.document_id.id: ack for ack in acks if ack.state == "acknowledged"
                },
                "just_acknowledged": bool(acknowledged),
            }
        )
        return request.render("neiqin_docs.portal_my_job_description", values)
