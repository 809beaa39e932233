from odoo import api, fields, models
from odoo.exceptions import ValidationError


class NeiqinGate(models.Model):
    """A review gate: a point where records of one model stop until the
    data-quality rules that serve the gate pass (confirming an order,
    closing a ticket, publishing a product). Modules ship their gates as
    data; the model that the gate guards inherits ``neiqin.gate.mixin`` and
    names the gate's code in ``_neiqin_gate``.

    A rule serves the gates it lists (``neiqin.dq.rule.gate_ids``): a
    data-maintenance rule of the same model files issues without stopping
    anything."""

    _name = "neiqin.gate"
    _description = "Review gate"
    _order = "model_id, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, readonly=True, help="Named by the model the gate guards.")
    model_id = fields.Many2one("ir.model", required=True, readonly=True, ondelete="cascade")
    model_name = fields.Char(related="model_id.model", store=True, string="Model Name")
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    rules_by_default = fields.Boolean(
        string="New Rules Serve It",
        default=True,
        help="A new rule of the gate's model serves this gate unless its author chooses "
        "otherwise.",
    )
    rule_ids = fields.Many2many(
        "neiqin.dq.rule", "neiqin_dq_rule_gate_rel", "gate_id", "rule_id", string="Rules"
    )
    rule_count = fields.Integer(compute="_compute_rule_count")

    _sql_constraints = [
        ("code_unique", "unique (code)", "A gate's code is unique."),
    ]

    def _compute_rule_count(self):
        for gate in self:
            gate.rule_count = len(gate.rule_ids)

    @api.constrains("model_id")
    def _check_model(self):
        for gate in self:
            model = self.env.get(gate.model_id.model)
            if model is None or "neiqin_review_state" not in model._fields:
                raise ValidationError(
                    self.env._(
                        "Gate %(gate)s: the model %(model)s has no review (it does not "
                        "inherit the review gate).",
                        gate=gate.name,
                        model=gate.model_id.model,
                    )
                )

    @api.model
    def _by_code(self, code):
        """The gate named ``code``, whoever asks (configuration, read as
        the engine), archived ones included: an archived gate lets every
        record through, it is not missing."""
        return self.sudo().with_context(active_test=False).search([("code", "=", code)], limit=1)
