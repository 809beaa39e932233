from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# How long written fields are remembered. A rescan looking back further
# than half of it rechecks every changed record against every rule, as if
# nothing were remembered; the full scans forget what is older.
CHANGES_KEPT = timedelta(days=2)
PENDING = "neiqin.dq.changes"


class NeiqinDqChange(models.Model):
    """Which fields of the models data-quality rules read were written, and
    when: a row per model, field and transaction, written when the
    transaction commits (creating records counts as writing every field,
    ``*``). A rescan rechecks the records changed since its last scan only
    against the rules that read a field written since (see
    engine/changes.py).

    Fields are seen as the ORM writes them (``write``, ``create`` and the
    stored computed fields it updates). Writes in plain SQL are seen by the
    daily full scan only."""

    _name = "neiqin.dq.change"
    _description = "Data-quality field change"
    _log_access = False
    _order = "changed_at desc, id desc"

    model = fields.Char(required=True, readonly=True)
    field = fields.Char(required=True, readonly=True, help="*: records were created.")
    changed_at = fields.Datetime(required=True, readonly=True, index=True)

    @api.model
    def _note(self, model_name, names):
        """Remember that the fields ``names`` of ``model_name`` were written
        in this transaction (saved when it commits)."""
        pending = self.env.cr.precommit.data.setdefault(PENDING, set())
        new = {(model_name, name) for name in names} - pending
        if not new:
            return
        if not pending:
            self.env.cr.precommit.add(self._save_pending)
        pending |= new

    def _save_pending(self):
        pending = self.env.cr.precommit.data.pop(PENDING, None)
        if not pending:
            return
        # The transaction's clock, as write_date uses.
        now = self.env.cr.now().replace(tzinfo=None)
        pairs = sorted(pending)
        self.env.cr.execute(
            SQL(
                """INSERT INTO neiqin_dq_change (model, field, changed_at)
                   SELECT c.model, c.field, %s
                     FROM unnest(%s::varchar[], %s::varchar[]) AS c (model, field)""",
                now,
                [model for model, __ in pairs],
                [name for __, name in pairs],
            )
        )

    @api.model
    def _last_writes(self, since):
        """{(model, field): when it was last written} for the fields written
        since ``since`` (those this transaction wrote: ``datetime.max``), in
        one query for every model a scan rechecks."""
        self.env.cr.execute(
            SQL(
                """SELECT model, field, max(changed_at) FROM neiqin_dq_change
                    WHERE changed_at >= %s GROUP BY model, field""",
                since,
            )
        )
        last = {(model_name, name): at for model_name, name, at in self.env.cr.fetchall()}
        last.update(dict.fromkeys(self.env.cr.precommit.data.get(PENDING, ()), datetime.max))
        return last

    @api.model
    def _written_since(self, last_writes, since):
        """{model: fields written since ``since``}, ``*`` for records created,
        from ``last_writes`` (:meth:`_last_writes`); None when ``since`` is
        older than what is remembered."""
        if since < fields.Datetime.now() - CHANGES_KEPT / 2:
            return None
        written = {}
        for (model_name, name), at in last_writes.items():
            if at >= since:
                written.setdefault(model_name, set()).add(name)
        return written

    @api.model
    def _forget_old(self):
        """Delete what no rescan reads any more."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM neiqin_dq_change WHERE changed_at < %s",
                fields.Datetime.now() - CHANGES_KEPT,
            )
        )
