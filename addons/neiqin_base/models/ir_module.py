from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False, imported_module=False):
        """Load neiqin_base's translations again with a module that builds on it.

        The mixins' fields (review state, step status...) are defined here
        but exist on another module's models (``sale.order``) only once that
        module is installed; the labels of their selection values are
        records of neiqin_base, translated by its .po files, which Odoo
        loaded when neiqin_base was installed, before those records existed.
        Loading them again, without overwriting, translates them."""
        super()._load_module_terms(
            modules, langs, overwrite=overwrite, imported_module=imported_module
        )
        if "neiqin_base" in modules or imported_module:
            return
        dependent = self.env["ir.module.module.dependency"].search_count(
            [("name", "=", "neiqin_base"), ("module_id.name", "in", list(modules))], limit=1
        )
        if dependent:
            super()._load_module_terms(["neiqin_base"], langs, overwrite=False)
