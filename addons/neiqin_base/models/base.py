from odoo import models


class Base(models.AbstractModel):
    _inherit = "base"

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
