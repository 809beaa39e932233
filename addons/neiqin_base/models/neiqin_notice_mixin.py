from odoo import api, fields, models
from odoo.tools import SQL


class NeiqinNoticeMixin(models.AbstractModel):
    """Gives a document customer notices through the outbox
    (``neiqin.notice``). A module inherits it and fills in the hooks: who the
    customer is and how to reach them, the values of the templates'
    placeholders, the e-mail template of each kind."""

    _name = "neiqin.notice.mixin"
    _description = "Customer notices of a document"

    neiqin_notice_ids = fields.One2many(
        "neiqin.notice",
        "res_id",
        string="Customer Notices",
        domain=lambda self: [("res_model", "=", self._name)],
    )
    neiqin_notice_unreachable = fields.Boolean(
        string="Customer Not Reached",
        compute="_compute_neiqin_notice_unreachable",
        search="_search_neiqin_notice_unreachable",
        help="A notice could not be sent: no channel reaches the customer, or every "
        "attempt failed.",
    )

    @api.depends("neiqin_notice_ids.state")
    def _compute_neiqin_notice_unreachable(self):
        for record in self:
            record.neiqin_notice_unreachable = any(
                n.state in ("unreachable", "failed") for n in record.neiqin_notice_ids
            )

    def _search_neiqin_notice_unreachable(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(operator)
        ids = (
            self.env["neiqin.notice"]
            ._search([("res_model", "=", self._name), ("state", "in", ("unreachable", "failed"))])
            .subselect(SQL.identifier("neiqin_notice", "res_id"))
        )
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", ids)]

    # ------------------------------------------------------------ hooks
    def _neiqin_notice_enabled(self):
        """The documents whose customers are told (a company setting...)."""
        return self

    def _neiqin_notice_targets(self):
        """{id: {"partner", "company", "platform" (neiqin.platform or
        None), "platform_ref"}}: who is told and how they may be reached."""
        return {
            record.id: {
                "partner": record.partner_id,
                "company": record.company_id or self.env.company,
                "platform": None,
                "platform_ref": False,
            }
            for record in self
        }

    def _neiqin_notice_values(self):
        """{id: {placeholder: value}} for the plain-text templates."""
        return {record.id: {"customer": record.partner_id.name} for record in self}

    def _neiqin_notice_mail_template(self, kind):
        """The mail template of the notice ``kind``, or None."""
        return None

    def _neiqin_queue_notices(self, kind):
        """Queue the notice ``kind`` for these documents (once each)."""
        return self.env["neiqin.notice"]._queue(self, kind)
