"""The outbox of customer notices: one mechanism for every module.

A module queues a notice of a kind for its documents
(``neiqin.notice.mixin._neiqin_queue_notices``); the outbox chooses its
channel from what is known of the customer, in the order the company
configures, renders its text in the customer's language and sends it:
e-mail through Odoo's mail at once, SMS through a provider module, platform
messages through the connector, which pulls them (``neiqin.notice.api``).
A notice is queued once per document and kind, which the database
guarantees. A customer no channel reaches gets a notice all the same, in the
state *No Reachable Channel*, so that a clerk sees them.
"""

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, html2plaintext
from odoo.tools.sql import create_index, index_exists

from ..engine import notice_text
from ..engine.guard import engine_writes, require_group

_logger = logging.getLogger(__name__)

NOTICE_STATES = [
    ("queued", "Queued"),
    ("claimed", "Claimed by Connector"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("failed", "Failed"),
    ("unreachable", "No Reachable Channel"),
]
CHANNELS = [("email", "E-mail"), ("platform", "Platform Message"), ("sms", "SMS")]
CHANNEL_KEYS = tuple(key for key, _label in CHANNELS)
# Channels held during quiet hours: a message on the buyer's phone. E-mail
# waits in the mailbox and is not held.
HELD_CHANNELS = ("platform", "sms")
DEFAULT_CLAIM_MINUTES = 15
DEFAULT_RETRY_LIMIT = 3
ERROR_LIMIT = 1000
PULL_INDEX = "neiqin_notice_pull_idx"
# What a clerk may change on a notice that was not sent yet.
EDITABLE_FIELDS = {"body"}


class NeiqinNotice(models.Model):
    _name = "neiqin.notice"
    _inherit = ["neiqin.engine.mixin"]
    _description = "Customer notice"
    _order = "queued_at desc, id desc"

    res_model = fields.Char(string="Document Model", required=True, index=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Document", model_field="res_model", required=True, index=True, readonly=True
    )
    res_name = fields.Char(string="Document Name", readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", index=True, readonly=True)
    platform_id = fields.Many2one("neiqin.platform", index=True, readonly=True)
    platform_ref = fields.Char(
        string="Platform Reference",
        readonly=True,
        help="The document's number on the platform (its order number), by which the "
        "connector finds the buyer's conversation.",
    )
    kind = fields.Selection([], required=True, readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True, index=True)
    lang = fields.Char(string="Language", readonly=True)
    body = fields.Text(string="Text", help="The text the customer receives, in their language.")
    state = fields.Selection(
        NOTICE_STATES, default="queued", required=True, readonly=True, index=True
    )
    tries = fields.Integer(default=0, readonly=True, help="How many times sending was attempted.")
    last_error = fields.Text(readonly=True)
    queued_at = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    hold_until = fields.Datetime(
        string="Held Until",
        readonly=True,
        help="Queued during the quiet hours: not sent before this time.",
    )
    claimed_by_id = fields.Many2one("res.users", readonly=True)
    claimed_until = fields.Datetime(
        readonly=True,
        help="Not acknowledged by then, the notice goes back to the queue.",
    )
    sent_at = fields.Datetime(readonly=True)
    delivered_at = fields.Datetime(readonly=True)
    template_id = fields.Many2one("mail.template", string="E-mail Template", readonly=True)
    notice_template_id = fields.Many2one(
        "neiqin.notice.template", string="Text Template", readonly=True
    )
    message_id = fields.Many2one("mail.message", readonly=True)

    _sql_constraints = [
        (
            "record_kind_uniq",
            "unique(res_model, res_id, kind)",
            "Each customer notice is queued once per document.",
        ),
    ]

    def init(self):
        # The connectors' pull reads the open notices of one channel and
        # platform, oldest first: a small partial index, whatever the size
        # of the outbox's history.
        if not index_exists(self.env.cr, PULL_INDEX):
            create_index(
                self.env.cr,
                PULL_INDEX,
                self._table,
                ["channel", "platform_id", "queued_at", "id"],
                where="state IN ('queued', 'claimed')",
            )

    @api.model
    def _neiqin_owned_fields(self):
        return set(self._fields) - EDITABLE_FIELDS - set(models.MAGIC_COLUMNS) - {"display_name"}

    @api.depends("res_name", "kind")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for notice in self:
            notice.display_name = f"{notice.res_name or ''} – {kinds.get(notice.kind, '')}"

    def write(self, vals):
        if not self._neiqin_engine_may_write() and set(vals) & EDITABLE_FIELDS:
            done = self.filtered(lambda n: n.state in ("claimed", "sent", "delivered"))
            if done:
                raise UserError(
                    self.env._(
                        "These notices were sent or are being sent; what the customer "
                        "received cannot be changed: %s",
                        ", ".join(done.mapped("display_name")),
                    )
                )
        return super().write(vals)

    # ------------------------------------------------------------ settings
    @api.model
    def _retry_limit(self):
        value = self.env["ir.config_parameter"].sudo().get_param("neiqin_base.notice_retry_limit")
        return max(1, int(value or DEFAULT_RETRY_LIMIT))

    @api.model
    def _claim_minutes(self):
        value = self.env["ir.config_parameter"].sudo().get_param("neiqin_base.notice_claim_minutes")
        return max(1, int(value or DEFAULT_CLAIM_MINUTES))

    # ------------------------------------------------------------ SMS provider
    @api.model
    def _neiqin_sms_available(self, company):
        """Whether an SMS provider sends for ``company``. A provider module
        overrides it and ``_neiqin_sms_send``; none ships with Neiqin."""
        return False

    def _neiqin_sms_send(self):
        """Send these SMS notices; returns ``{notice id: error or None}``.
        A provider module overrides it."""
        return {notice.id: self.env._("No SMS provider is installed.") for notice in self}

    # ------------------------------------------------------------ queueing
    @api.model
    def _queue(self, records, kind):
        """Queue the notice ``kind`` for each of ``records`` (documents of a
        model inheriting ``neiqin.notice.mixin``) that has none yet; e-mails
        and SMS not held by quiet hours are sent at once. Returns the new
        notices."""
        records = records._neiqin_notice_enabled()
        if not records:
            return self.browse()
        # The outbox is the log of what customers are told: whoever moves
        # the document on queues its notices, whatever their rights on the
        # log; what is written comes from the documents, not from the caller.
        outbox = self.sudo()
        outbox.flush_model(["res_model", "res_id", "kind"])
        self.env.cr.execute(
            SQL(
                "SELECT res_id FROM neiqin_notice WHERE res_model = %s AND kind = %s "
                "AND res_id = ANY(%s)",
                records._name,
                kind,
                records.ids,
            )
        )
        done = {row[0] for row in self.env.cr.fetchall()}
        records = records.filtered(lambda r: r.id not in done)
        if not records:
            return self.browse()
        targets = records._neiqin_notice_targets()
        values = records._neiqin_notice_values()
        mail_template = records._neiqin_notice_mail_template(kind)
        texts = {
            t.channel: t
            for t in self.env["neiqin.notice.template"]
            .sudo()
            .search([("res_model", "=", records._name), ("kind", "=", kind)])
        }
        now = fields.Datetime.now()
        vals_list = []
        for record in records:
            target = targets[record.id]
            channel = self._choose_channel(target, mail_template, texts)
            partner = target["partner"]
            lang = partner.lang or self.env.lang or "en_US"
            vals = {
                "res_model": record._name,
                "res_id": record.id,
                "res_name": record.display_name,
                "company_id": target["company"].id,
                "partner_id": partner.id,
                "platform_id": target.get("platform").id if target.get("platform") else False,
                "platform_ref": target.get("platform_ref") or False,
                "kind": kind,
                "channel": channel or False,
                "lang": lang,
                "queued_at": now,
                "state": "queued" if channel else "unreachable",
            }
            if channel == "email":
                vals["template_id"] = mail_template.id
            elif channel in HELD_CHANNELS:
                text = texts[channel]
                vals["notice_template_id"] = text.id
                vals["body"] = text.with_context(lang=lang)._render(values.get(record.id, {}))
                vals["hold_until"] = self._quiet_until(target["company"], now)
            vals_list.append(vals)
        with engine_writes():
            notices = outbox.create(vals_list)
        notices.filtered(lambda n: n.channel == "email")._send_email()
        notices.filtered(lambda n: n.channel == "sms" and not n.hold_until)._send_sms()
        return notices.with_env(self.env)

    @api.model
    def _choose_channel(self, target, mail_template, texts):
        """The first channel of the company's order that reaches the
        customer and has a template for the notice; None when none does."""
        partner, company = target["partner"], target["company"]
        platform = target.get("platform")
        for channel in company._neiqin_notice_channel_order():
            if channel == "email" and mail_template and partner.email:
                return channel
            if (
                channel == "platform"
                and "platform" in texts
                and platform
                and platform.has_buyer_messaging
                and target.get("platform_ref")
            ):
                return channel
            if (
                channel == "sms"
                and "sms" in texts
                and (partner.mobile or partner.phone)
                and self._neiqin_sms_available(company)
            ):
                return channel
        return None

    @api.model
    def _quiet_until(self, company, now):
        """When a phone message queued at ``now`` may go out in ``company``'s
        quiet hours, or False."""
        tz = company.partner_id.tz or self.env.user.tz or "Asia/Shanghai"
        return (
            notice_text.quiet_until(
                now, tz, company.neiqin_quiet_start_hour, company.neiqin_quiet_end_hour
            )
            or False
        )

    # ------------------------------------------------------------ sending
    def _failed_vals(self, error, now):
        """What a failed attempt writes: back to the queue while tries are
        left (the attempt is counted already), failed after the last."""
        self.ensure_one()
        final = self.tries >= self._retry_limit()
        return {
            "state": "failed" if final else "queued",
            "last_error": (error or "")[:ERROR_LIMIT],
            "claimed_by_id": False,
            "claimed_until": False,
        }

    def _send_email(self):
        """Post each e-mail notice on its document with its mail template,
        each in a savepoint: a broken template or address fails that
        notice only, which is tried again by the cron."""
        now = fields.Datetime.now()
        for notice in self:
            record = self.env[notice.res_model].browse(notice.res_id)
            # The try count is the engine's bookkeeping on a notice the
            # cron (or the caller's own send) already holds: not the caller's.
            with engine_writes():
                notice.sudo().tries += 1
            try:
                with self.env.cr.savepoint():
                    message = record.message_post_with_source(
                        notice.template_id,
                        subtype_xmlid="mail.mt_comment",
                        email_layout_xmlid="mail.mail_notification_light",
                    )
            except Exception as exc:  # noqa: BLE001 - any failure is the notice's
                _logger.warning("Customer notice %s could not be e-mailed: %s", notice.id, exc)
                vals = notice._failed_vals(str(exc), now)
            else:
                vals = {
                    "state": "sent",
                    "sent_at": now,
                    "message_id": message.id if message else False,
                    "body": html2plaintext(message.body or "") if message else False,
                    "last_error": False,
                }
            # Written by the engine whoever triggered it (see ``_queue``).
            with engine_writes():
                notice.sudo().write(vals)

    def _send_sms(self):
        """Hand these SMS notices to the provider, in one call."""
        if not self:
            return
        now = fields.Datetime.now()
        # As for e-mails: tries and outcome are the engine's bookkeeping on
        # the notices being sent, whoever triggered the sending.
        with engine_writes():
            for notice in self.sudo():
                notice.tries += 1
        errors = self._neiqin_sms_send()
        with engine_writes():
            for notice in self.sudo():
                error = errors.get(notice.id)
                if error:
                    notice.write(notice._failed_vals(error, now))
                else:
                    notice.write({"state": "sent", "sent_at": now, "last_error": False})

    # ------------------------------------------------------------ clerk actions
    def action_retry(self):
        """Button: queue failed or unreachable notices again, choosing their
        channel anew (the customer may have an e-mail address now)."""
        require_group(
            self.env,
            "neiqin_base.group_neiqin_clerk",
            self.env._("Only back-office staff can send notices again."),
        )
        self.check_access("write")
        retry = self.filtered(lambda n: n.state in ("failed", "unreachable"))
        if not retry:
            raise UserError(
                self.env._("Only failed notices or notices no channel reached can be sent again.")
            )
        by_key = [(n.res_model, n.res_id, n.kind) for n in retry]
        # Cleared in SQL-free ORM calls by the engine, then queued again as
        # the documents' modules queue them.
        with engine_writes():
            retry.sudo().unlink()
        for res_model, res_id, kind in by_key:
            self._queue(self.env[res_model].browse(res_id), kind)
        return True

    # ------------------------------------------------------------ crons
    @api.model
    def _cron_notices(self, batch_size=500):
        """(a) Put claims not acknowledged in time back in the queue, (b)
        release the notices held by quiet hours and send the SMS among
        them, (c) send again the e-mails and SMS that failed, up to the
        retry limit. (a) and (b) are one statement each whatever the number
        of notices; sending commits after each batch."""
        cron_mode = bool(self.env.context.get("cron_id"))
        released = self._release_expired_claims()
        self._release_holds()
        if cron_mode:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        last_id = 0
        sent = 0
        while True:
            due = self.sudo().search(
                [
                    ("id", ">", last_id),
                    ("state", "=", "queued"),
                    ("channel", "in", ("email", "sms")),
                    ("hold_until", "=", False),
                ],
                order="id",
                limit=batch_size,
            )
            if not due:
                break
            last_id = due[-1].id
            due.filtered(lambda n: n.channel == "email")._send_email()
            due.filtered(lambda n: n.channel == "sms")._send_sms()
            sent += len(due)
            if cron_mode:
                self.env["ir.cron"]._notify_progress(done=len(due), remaining=0)
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return released, sent

    @api.model
    def _release_expired_claims(self):
        """Claims past their time go back to the queue, or fail when their
        tries are used up. One statement."""
        self.env.flush_all()
        error = self.env._("The connector did not acknowledge the notice in time.")
        self.env.cr.execute(
            SQL(
                """UPDATE neiqin_notice
                      SET state = CASE WHEN COALESCE(tries, 0) >= %(limit)s
                                       THEN 'failed' ELSE 'queued' END,
                          last_error = %(error)s,
                          claimed_by_id = NULL,
                          claimed_until = NULL,
                          write_date = %(now)s
                    WHERE state = 'claimed'
                      AND claimed_until < %(now)s
                RETURNING id""",
                limit=self._retry_limit(),
                error=error,
                now=fields.Datetime.now(),
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if ids:
            self.browse(ids).invalidate_recordset()
        return len(ids)

    @api.model
    def _release_holds(self):
        """Notices held by quiet hours whose morning came are released. One
        statement."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE neiqin_notice SET hold_until = NULL
                    WHERE state = 'queued' AND hold_until <= %s
                RETURNING id""",
                fields.Datetime.now(),
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if ids:
            self.browse(ids).invalidate_recordset(["hold_until"])
        return len(ids)

    @api.model
    def _claim_until(self):
        return fields.Datetime.now() + timedelta(minutes=self._claim_minutes())
