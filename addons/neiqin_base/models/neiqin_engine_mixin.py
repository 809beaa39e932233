from odoo import api, models
from odoo.exceptions import AccessError

from ..engine.guard import engine_writing


class NeiqinEngineMixin(models.AbstractModel):
    """Fields owned by a back-office engine: states, overrides, process and
    step fields. ``create`` and ``write`` refuse them unless the engine
    writes (``engine.guard.engine_writes``) or server code runs as
    superuser (data files, ``sudo()`` with its own justification); the
    ``default_`` context keys of these fields are ignored, whoever sends
    them. Models list their fields in ``_neiqin_owned_fields``."""

    _name = "neiqin.engine.mixin"
    _description = "Fields owned by a back-office engine"

    @api.model
    def _neiqin_owned_fields(self):
        """Names of the fields only the engine writes."""
        return set()

    def _neiqin_engine_may_write(self):
        return engine_writing() or self.env.su

    @api.model_create_multi
    def create(self, vals_list):
        if self._neiqin_engine_may_write():
            return super().create(vals_list)
        owned = self._neiqin_owned_fields()
        context = self.env.context
        defaults = [key for key in context if key.startswith("default_") and key[8:] in owned]
        if defaults:
            # A kanban column's quick create passes its group as a default:
            # the record is created, the engine then places it.
            kept = {key: value for key, value in context.items() if key not in defaults}
            self = self.with_env(self.env(context=kept))  # noqa: PLW0642
        for vals in vals_list:
            self._neiqin_refuse_owned(owned & set(vals))
        return super().create(vals_list)

    def write(self, vals):
        if not self._neiqin_engine_may_write():
            names = self._neiqin_owned_fields() & set(vals)
            if names:
                # A form saving a value the record already has changes nothing.
                names = {name for name in names if self._neiqin_changes(name, vals[name])}
            self._neiqin_refuse_owned(names)
        return super().write(vals)

    def _neiqin_changes(self, name, value):
        field = self._fields[name]
        try:
            new = field.convert_to_record(field.convert_to_cache(value, self), self)
        except (ValueError, TypeError):
            return True
        return any(record[name] != new for record in self)

    def _neiqin_refuse_owned(self, names):
        if not names:
            return
        labels = sorted(self._fields[name]._description_string(self.env) for name in names)
        raise AccessError(
            self.env._(
                "%(fields)s of %(model)s are set by the back-office engine as the work "
                "goes on; they cannot be written directly. Use the actions of the "
                "document instead.",
                fields=", ".join(labels),
                model=self.env["ir.model"]._get(self._name).name or self._description,
            )
        )
