from random import randint

from odoo import fields, models


class NeiqinArchiveTag(models.Model):
    _name = "neiqin.archive.tag"
    _description = "Archive tag"
    _order = "name"

    name = fields.Char(required=True)
    color = fields.Integer(default=lambda self: randint(1, 11))

    _sql_constraints = [("name_uniq", "unique (name)", "An archive tag with this name exists.")]
