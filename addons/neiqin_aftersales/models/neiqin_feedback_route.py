from odoo import fields, models

FEEDBACK_KINDS = [
    ("product", "Product"),
    ("service", "Service"),
    ("logistics", "Logistics"),
    ("price", "Price"),
    ("suggestion", "Suggestion"),
    ("other", "Other"),
]


class NeiqinFeedbackRoute(models.Model):
    """Where feedback of a kind goes: the department that answers it, its
    owner (default: the department's manager) and the time they have."""

    _name = "neiqin.feedback.route"
    _description = "Feedback Routing Rule"
    _order = "sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    kind = fields.Selection(FEEDBACK_KINDS, required=True, index=True)
    department_id = fields.Many2one("hr.department", required=True, check_company=True)
    owner_user_id = fields.Many2one(
        "res.users",
        string="Owner",
        help="Empty: the department's manager answers the feedback.",
    )
    deadline_days = fields.Integer(
        string="Days to Answer", default=3, help="The owner's deadline after routing."
    )
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: the rule applies in every company."
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "deadline_days_positive",
            "CHECK(deadline_days >= 0)",
            "The days to answer feedback cannot be negative.",
        ),
    ]

    def _owner(self):
        self.ensure_one()
        return self.owner_user_id or self.department_id.manager_id.user_id
