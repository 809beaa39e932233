from odoo import api, fields, models

RETURN_KINDS = [
    ("return_refund", "Return and Refund"),
    ("exchange", "Exchange"),
    ("refund_only", "Refund Only"),
    ("resend", "Resend"),
]


class RmaOperation(models.Model):
    _inherit = "rma.operation"

    neiqin_kind = fields.Selection(
        RETURN_KINDS,
        string="After-sales Kind",
        index="btree_not_null",
        copy=False,
        help="What the after-sales desk does with this operation: the ticket's return "
        "wizard and the checks find operations by this key, never by their name.",
    )

    _sql_constraints = [
        (
            "neiqin_kind_uniq",
            "unique (neiqin_kind)",
            "Each after-sales kind is carried by one operation only.",
        ),
    ]

    @api.model
    def _neiqin_by_kind(self):
        """{kind: operation} of the active operations that carry a kind."""
        return {op.neiqin_kind: op for op in self.search([("neiqin_kind", "!=", False)])}
