"""The connectors' API of the outbox: pull the queued platform messages of a
platform, then acknowledge them (README, "XML-RPC API").

A pull claims a page of notices for the caller in one statement
(``FOR UPDATE SKIP LOCKED``): two connector workers pulling at the same
moment get different notices. A claim not acknowledged within the claim
time goes back to the queue (``neiqin.notice._cron_notices``, and any later
pull takes it again).
"""

import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..engine.guard import engine_writes, require_group

_logger = logging.getLogger(__name__)

MAX_PAGE = 1000
TEXT_LIMITS = {"platform": 64, "reason": 1000, "status": 16, "id": 18}
ACK_STATUSES = ("sent", "delivered", "failed")
CONNECTOR_GROUP = "neiqin_base.group_neiqin_connector"


class NeiqinNotice(models.Model):
    _name = "neiqin.notice"
    _inherit = ["neiqin.notice", "neiqin.batch.api.mixin"]

    @api.model
    def _api_text_limits(self):
        return TEXT_LIMITS

    @api.model
    def _api_logger(self):
        return _logger

    def _api_check_connector(self):
        require_group(
            self.env,
            CONNECTOR_GROUP,
            self.env._("Only a connector's user may pull or acknowledge customer notices."),
        )
        self._api_check_access("neiqin.notice", "read")

    # ------------------------------------------------------------ pull
    @api.model
    def api_pull_notices(self, platform, limit=100):
        """Claim and return up to ``limit`` (at most 1000) queued platform
        messages of ``platform`` (its code: ``tmall``, ``jd``...), oldest
        first, that the caller may read and that no other caller holds.

        Each notice: ``id``, ``kind``, ``platform``, ``platform_ref`` (the
        order number on the platform), ``lang``, ``body``, ``queued_at``,
        ``claimed_until`` (UTC, ``YYYY-MM-DD HH:MM:SS``) and ``tries``. Acknowledge each with
        ``api_ack_notices`` before ``claimed_until``, or it goes back to the
        queue."""
        self._api_check_connector()
        _ = self.env._
        code = self._api_text(platform, "platform", required=True)
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
            raise UserError(_("limit must be a whole number from 1 to %s.", MAX_PAGE))
        record = self.env["neiqin.platform"].search([("code", "=", code)], limit=1)
        if not record:
            raise UserError(_("Unknown platform %s.", code))
        notices = self._claim(record, limit)
        return [notice._api_pulled() for notice in notices]

    def _claim(self, platform, limit):
        """Claim the ``limit`` oldest open platform messages of ``platform``
        the caller reaches (its record rules apply) and no one else holds,
        in one statement; returns them."""
        now = fields.Datetime.now()
        self.env.flush_all()
        query = self._search(
            [
                ("channel", "=", "platform"),
                ("platform_id", "=", platform.id),
                "|",
                ("state", "=", "queued"),
                "&",
                ("state", "=", "claimed"),
                ("claimed_until", "<", now),
                "|",
                ("hold_until", "=", False),
                ("hold_until", "<=", now),
            ],
            order="queued_at, id",
            limit=limit,
        )
        self.env.cr.execute(
            SQL(
                """WITH picked AS (%(picked)s FOR UPDATE OF neiqin_notice SKIP LOCKED)
                   UPDATE neiqin_notice notice
                      SET state = 'claimed',
                          claimed_by_id = %(uid)s,
                          claimed_until = %(until)s,
                          tries = COALESCE(notice.tries, 0) + 1,
                          write_uid = %(uid)s,
                          write_date = %(now)s
                     FROM picked
                    WHERE notice.id = picked.id
                RETURNING notice.id""",
                picked=query.select(SQL.identifier("neiqin_notice", "id")),
                uid=self.env.uid,
                until=self._claim_until(),
                now=now,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        notices = self.browse(ids)
        notices.invalidate_recordset()
        return notices.sorted(lambda n: (n.queued_at, n.id))

    def _api_pulled(self):
        self.ensure_one()
        return {
            "id": self.id,
            "kind": self.kind,
            "platform": self.platform_id.code,
            "platform_ref": self.platform_ref or "",
            "lang": self.lang or "",
            "body": self.body or "",
            "queued_at": fields.Datetime.to_string(self.queued_at),
            "claimed_until": fields.Datetime.to_string(self.claimed_until),
            "tries": self.tries,
        }

    # ------------------------------------------------------------ acknowledge
    @api.model
    def api_ack_notices(self, acks):
        """Say what became of pulled notices. Each item: ``id`` (as pulled),
        ``status`` (``sent``, ``delivered`` or ``failed``), ``reason``
        (required when failed), ``at`` (ISO date and time, default now),
        ``idempotency_key`` (optional).

        Results: ``updated`` with the notice's new ``state`` (a failed
        notice goes back to the queue, ``queued``, until its tries are used
        up, then stays ``failed`` for a clerk), ``unchanged`` when the
        notice already is in that state, or ``error``: unknown notice, not
        a platform message, claimed by another caller."""
        self._api_check_connector()
        return self._api_run_prepared(
            acks,
            "id",
            parse=self._api_parse_ack,
            prepare=self._api_ack_plan,
            build_index=self._api_ack_index,
            apply_many=self._api_ack_apply,
            method="api_ack_notices",
            item_key=lambda clean: clean["id"],
        )

    @api.model
    def _api_parse_ack(self, item):
        _ = self.env._
        notice_id = item.get("id")
        if isinstance(notice_id, bool) or not isinstance(notice_id, int) or notice_id <= 0:
            raise UserError(_("id must be the notice's id, a positive whole number."))
        status = self._api_text(item.get("status"), "status", required=True)
        if status not in ACK_STATUSES:
            raise UserError(
                _("status must be one of %(statuses)s.", statuses=", ".join(ACK_STATUSES))
            )
        reason = self._api_text(item.get("reason"), "reason", multiline=True)
        if status == "failed" and not reason:
            raise UserError(_("reason is required when the notice failed."))
        at = self._api_datetime(item.get("at"), "at")
        return {"id": notice_id, "status": status, "reason": reason, "at": at}

    def _api_ack_index(self, items):
        """The notices the items name that the caller reaches, read at once."""
        ids = list({item["id"] for item in items})
        notices = self.search_fetch(
            [("id", "in", ids)],
            ["state", "channel", "claimed_by_id", "claimed_until", "tries", "sent_at"],
        )
        return {"notices": {notice.id: notice for notice in notices}, "now": fields.Datetime.now()}

    def _api_ack_plan(self, clean, index):
        """The writes an acknowledgement makes, or its answer when there is
        nothing to write."""
        _ = self.env._
        notice = index["notices"].get(clean["id"])
        if not notice:
            raise UserError(_("Notice %s does not exist or is not yours.", clean["id"]))
        if notice.channel != "platform":
            raise UserError(_("Notice %s is not a platform message.", clean["id"]))
        now = index["now"]
        status, state = clean["status"], notice.state
        if (status, state) in (("sent", "sent"), ("sent", "delivered"), ("delivered", "delivered")):
            return {"status": "unchanged", "state": state}
        if state == "failed":
            if status == "failed":
                return {"status": "unchanged", "state": state}
            raise UserError(_("Notice %s failed already; a clerk sends it again.", clean["id"]))
        if state == "unreachable":
            raise UserError(_("Notice %s was not pulled.", clean["id"]))
        if (
            state == "claimed"
            and notice.claimed_by_id.id != self.env.uid
            and notice.claimed_until
            and notice.claimed_until >= now
        ):
            raise UserError(_("Notice %s is claimed by another connector.", clean["id"]))
        at = clean["at"] or now
        release = {"claimed_by_id": False, "claimed_until": False}
        if status == "sent":
            vals = {**release, "state": "sent", "sent_at": at, "last_error": False}
        elif status == "delivered":
            vals = {
                **release,
                "state": "delivered",
                "delivered_at": at,
                "sent_at": notice.sent_at or at,
                "last_error": False,
            }
        else:
            # A notice reported failed while it was never claimed (the
            # claim expired) counts the connector's attempt all the same.
            vals = notice._failed_vals(clean["reason"], now)
        return (notice, vals)

    def _api_ack_apply(self, plans, index):
        """Write the acknowledgements, one write per set of values."""
        groups = {}
        for notice, vals in plans:
            key = tuple(sorted(vals.items()))
            groups.setdefault(key, self.browse())
            groups[key] |= notice
        # The notices were found as the caller, through its record rules,
        # and the caller is a connector: only the engine's fields change.
        with engine_writes():
            for key, notices in groups.items():
                notices.sudo().write(dict(key))
        return [{"status": "updated", "state": vals["state"]} for _notice, vals in plans]
