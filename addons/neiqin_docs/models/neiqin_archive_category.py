from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The kinds of archived documents (a category gives its documents theirs).
ARCHIVE_KINDS = [
    ("procedure", "Procedure"),
    ("report", "Report"),
    ("minutes", "Meeting Minutes"),
    ("job_description", "Job Description"),
    ("other", "Other"),
]


class NeiqinArchiveCategory(models.Model):
    """Category of the operations archive (流程规范, 运营报表, 会议纪要,
    岗位职责…), nested: a category shows its complete path."""

    _name = "neiqin.archive.category"
    _description = "Archive category"
    _parent_name = "parent_id"
    _parent_store = True
    _order = "name"

    name = fields.Char(required=True, translate=True)
    # Computed in the reader's language (the shipped names are translated).
    complete_name = fields.Char(compute="_compute_complete_name", recursive=True)
    parent_id = fields.Many2one("neiqin.archive.category", index=True, ondelete="restrict")
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("neiqin.archive.category", "parent_id", string="Subcategories")
    kind = fields.Selection(
        ARCHIVE_KINDS,
        string="Default Kind",
        default="other",
        required=True,
        help="The kind given to the documents filed in this category.",
    )
    active = fields.Boolean(default=True)
    document_count = fields.Integer(compute="_compute_document_count")

    @api.depends("name", "parent_id.complete_name")
    @api.depends_context("lang")
    def _compute_complete_name(self):
        for category in self:
            if category.parent_id:
                category.complete_name = f"{category.parent_id.complete_name} / {category.name}"
            else:
                category.complete_name = category.name

    @api.depends("complete_name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for category in self:
            category.display_name = category.complete_name

    def _compute_document_count(self):
        counts = dict(
            self.env["neiqin.archive.document"]._read_group(
                [("category_id", "in", self.ids)], ["category_id"], ["__count"]
            )
        )
        for category in self:
            category.document_count = counts.get(category, 0)

    @api.constrains("parent_id")
    def _check_parent(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A category cannot be its own parent."))
