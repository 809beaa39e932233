from odoo import models

from ..engine.guard import engine_writes


class NeiqinDqRule(models.Model):
    """The issue filer writes issues as their engine, whoever runs the check."""

    _inherit = "neiqin.dq.rule"

    def _file_findings(self, checked, bad, known, commit=False):
        # Issues are the engine's: nobody creates them by hand and their
        # states and findings are refused to users (neiqin.dq.issue), so a
        # lead's "Scan now" or a clerk's "Check again" files them as the
        # engine. Everything written comes from the rules' own findings
        # (rules, record ids, keys computed by the scan): no value or id of
        # the caller's reaches this superuser write.
        with engine_writes():
            return super(NeiqinDqRule, self.sudo())._file_findings(
                checked, bad, known, commit=commit
            )
