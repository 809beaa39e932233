from odoo import api, fields, models
from odoo.exceptions import ValidationError


class NeiqinDqRule(models.Model):
    """Which review gates a rule serves (see ``neiqin.gate``)."""

    _inherit = "neiqin.dq.rule"

    gate_ids = fields.Many2many(
        "neiqin.gate",
        "neiqin_dq_rule_gate_rel",
        "rule_id",
        "gate_id",
        string="Gates",
        domain="[('model_id', '=', model_id)]",
        tracking=True,
        help="The reviews this rule takes part in: its blocking issues stop a record at "
        "these gates. A rule that serves no gate only files issues.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "gate_ids" not in vals and vals.get("model_id"):
                gates = (
                    self.env["neiqin.gate"]
                    .sudo()
                    .search([("model_id", "=", vals["model_id"]), ("rules_by_default", "=", True)])
                )
                # Configuration read as the engine: which gates a model has
                # is the modules' data, not the author's choice.
                vals["gate_ids"] = [fields.Command.set(gates.ids)]
        return super().create(vals_list)

    @api.constrains("gate_ids", "model_id")
    def _check_gates(self):
        for rule in self:
            wrong = rule.gate_ids.sudo().filtered(lambda g, rule=rule: g.model_id != rule.model_id)
            if wrong:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s checks %(model)s: it cannot serve the gate %(gates)s of "
                        "another model.",
                        rule=rule.name,
                        model=rule.model_id.name,
                        gates=", ".join(wrong.mapped("name")),
                    )
                )
