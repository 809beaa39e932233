from odoo import fields, models


class NeiqinPlatform(models.Model):
    """A marketplace or storefront orders come from. Its code is the one the
    connectors send; a connector's API user bound to platforms
    (``res.users.neiqin_platform_ids``) reaches only their notices."""

    _name = "neiqin.platform"
    _description = "Sales platform"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="The code connectors send (tmall, jd, pdd...).")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    has_buyer_messaging = fields.Boolean(
        string="Buyer Messaging Through the Connector",
        help="The platform hides its buyers' contacts: the shop reaches them through the "
        "platform's own messaging, which the connector delivers (it pulls the queued "
        "notices of the platform channel).",
    )

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A platform code is used once."),
    ]
