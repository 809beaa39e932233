from odoo import api, models

from ..engine.reads import CREATED


class Base(models.AbstractModel):
    _inherit = "base"

    def _write_multi(self, vals_list):
        """Remember which fields data-quality rules may read were written:
        a rescan rechecks only the rules reading them. Every ORM write of a
        stored field comes here when it is flushed."""
        if vals_list and self._name in self.env["neiqin.dq.rule"]._watched_models():
            self.env["neiqin.dq.change"]._note(self._name, set().union(*vals_list))
        return super()._write_multi(vals_list)

    @api.model
    def _create(self, data_list):
        records = super()._create(data_list)
        if self._name in self.env["neiqin.dq.rule"]._watched_models():
            # New records are checked against every rule.
            self.env["neiqin.dq.change"]._note(self._name, {CREATED})
        return records

    def unlink(self):
        """Close the open data-quality issues of the deleted records, so
        that an incremental scan need not look for deleted records among
        every open issue. Records the database deletes by itself (a
        cascade) are closed by the daily full scan."""
        scanned = self.ids if self._name in self.env["neiqin.dq.rule"]._scanned_models() else []
        result = super().unlink()
        if scanned:
            self.env["neiqin.dq.issue"]._close_deleted(self._name, scanned)
        return result
