from odoo import api, fields, models
from odoo.exceptions import ValidationError


class NeiqinServiceFlowLine(models.Model):
    """One step of a service flow sheet: the instructions and the standard
    replies of that step of the customer-service process."""

    _name = "neiqin.service.flow.line"
    _description = "Service flow sheet step"
    _order = "flow_id, sequence, id"

    flow_id = fields.Many2one(
        "neiqin.service.flow", string="Flow Sheet", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="flow_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    step_id = fields.Many2one(
        "neiqin.process.step",
        string="Process Step",
        required=True,
        domain="[('process_id.code', '=', 'service')]",
    )
    instructions = fields.Text(string="What to Do", translate=True)
    reply_template_ids = fields.Many2many(
        "neiqin.reply.template",
        string="Standard Replies",
        help="The replies to use at this step, proposed first on the ticket.",
    )

    @api.constrains("step_id")
    def _check_step_id(self):
        for line in self:
            if line.step_id.process_id.code != "service":
                raise ValidationError(
                    self.env._(
                        "Flow sheet %(flow)s: the step %(step)s is not a step of the "
                        "customer-service process.",
                        flow=line.flow_id.name,
                        step=line.step_id.display_name,
                    )
                )
