import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# How long keys are kept, in days, unless the parameter says otherwise.
DAYS_PARAM = "neiqin_base.idempotency_key_days"
DEFAULT_DAYS = 30


class NeiqinIdempotencyKey(models.Model):
    """What a batch API answered an item sent with an idempotency key, so
    that the same item sent again is answered the same without being
    applied again (see ``neiqin.batch.api.mixin``). A key belongs to the
    user who sent it, the company the call ran in and the API method: the
    same key elsewhere is another key. Rows are written by the helper, in
    the savepoint of the item they answer, and deleted by a daily cron
    once older than the kept days."""

    _name = "neiqin.idempotency.key"
    _description = "Batch API idempotency key"
    _order = "id desc"
    _rec_name = "key"

    # Whose key, where: the helper sets both to the caller and their
    # current company; record rules keep each user to their own.
    user_id = fields.Many2one(
        "res.users", required=True, ondelete="cascade", default=lambda self: self.env.user
    )
    company_id = fields.Many2one(
        "res.company", required=True, ondelete="cascade", default=lambda self: self.env.company
    )
    method = fields.Char(required=True, readonly=True, help="The API method that was called.")
    key = fields.Char(required=True, readonly=True)
    fingerprint = fields.Char(
        required=True, readonly=True, help="Digest of the item the key was sent with."
    )
    result = fields.Text(readonly=True, help="The answer given to the item, as JSON.")
    create_date = fields.Datetime(index=True, readonly=True)

    _sql_constraints = [
        (
            "key_uniq",
            "unique (user_id, company_id, method, key)",
            "An idempotency key is used once per user, company and method.",
        )
    ]

    @api.model
    def _find(self, method, keys):
        """{key: row} of the calling user's keys ``keys`` for ``method`` in
        the current company, read with the caller's rights."""
        if not keys:
            return {}
        rows = self.search(
            [
                ("user_id", "=", self.env.uid),
                ("company_id", "=", self.env.company.id),
                ("method", "=", method),
                ("key", "in", list(keys)),
            ]
        )
        return {row.key: row for row in rows}

    @api.model
    def _remember(self, method, answers):
        """Store ``answers``, a list of ``(key, fingerprint, result)``, as
        the calling user's keys for ``method`` in the current company."""
        if answers:
            self.create(
                [
                    {
                        "user_id": self.env.uid,
                        "company_id": self.env.company.id,
                        "method": method,
                        "key": key,
                        "fingerprint": digest,
                        "result": json.dumps(result, default=str),
                    }
                    for key, digest, result in answers
                ]
            )

    def _answer(self):
        self.ensure_one()
        return json.loads(self.result or "{}")

    @api.model
    def _cron_delete_expired(self):
        """Delete the keys older than the kept days (system parameter
        ``neiqin_base.idempotency_key_days``, 30 by default), with one
        statement whatever their number."""
        # sudo: reads one fixed parameter, a number of days, for any caller.
        param = self.env["ir.config_parameter"].sudo().get_param(DAYS_PARAM)
        try:
            days = max(int(param or DEFAULT_DAYS), 1)
        except ValueError:
            days = DEFAULT_DAYS
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "DELETE FROM neiqin_idempotency_key WHERE create_date < %s",
                fields.Datetime.now() - timedelta(days=days),
            )
        )
        self.invalidate_model()
        return self.env.cr.rowcount
