"""XML-RPC API for customer-service systems and marketplaces: tickets by
external reference, their customers' messages, and their status.

The batch machinery (access checked before any item, per-item savepoints
and results, typed values, sanitised errors, idempotency keys) is
neiqin_base's ``neiqin.batch.api.mixin``; customers are matched by
neiqin_orders' own look-up (``sale.order._api_customer_search``). What is
the tickets' own: a ticket is known by its source (a platform or system
code) and its reference there, unique per company, so that pushing it again
changes nothing; a message is known by its id there, so that it is posted
once.
"""

import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL, email_normalize, plaintext2html
from odoo.tools.sql import create_index

from .helpdesk_ticket import SERVICE_TYPES

_logger = logging.getLogger(__name__)

# The open steps of tickets, by deadline: what the overdue scan reads.
OPEN_DEADLINE_INDEX = "helpdesk_ticket_neiqin_open_step_deadline_idx"

# Longest texts accepted, in characters (keys are indexed columns).
TEXT_LIMITS = {
    "external_ref": 128,
    "source": 64,
    "subject": 256,
    "description": 20000,
    "channel": 32,
    "platform": 64,
    "platform_order_no": 128,
    "name": 256,
    "external_id": 128,
    "email": 254,
    "phone": 64,
    "message_id": 128,
    "body": 20000,
}
# Channel codes, and the helpdesk channel each names.
CHANNELS = {
    "web": "helpdesk_mgmt.helpdesk_ticket_channel_web",
    "email": "helpdesk_mgmt.helpdesk_ticket_channel_email",
    "phone": "helpdesk_mgmt.helpdesk_ticket_channel_phone",
    "other": "helpdesk_mgmt.helpdesk_ticket_channel_other",
}
CUSTOMER_KEYS = ("name", "external_id", "email", "phone")
# The fields of a ticket an upsert compares and writes.
UPSERT_FIELDS = (
    "name",
    "description",
    "neiqin_service_type",
    "channel_id",
    "priority",
    "partner_id",
    "partner_name",
    "partner_email",
)
# A connector's tickets get no creation note and no follower: the
# connector's account would follow every ticket.
QUIET_CREATE = {"mail_create_nolog": True, "mail_create_nosubscribe": True}


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "neiqin.batch.api.mixin"]

    neiqin_external_source = fields.Char(
        string="External Source",
        copy=False,
        readonly=True,
        help="The platform or system the ticket came from (its code), with its reference "
        "there: the XML-RPC API finds the ticket by both.",
    )
    neiqin_external_ref = fields.Char(
        string="External Reference",
        index=True,
        copy=False,
        readonly=True,
        help="The ticket's reference in its external source.",
    )

    _sql_constraints = [
        (
            "neiqin_external_ref_uniq",
            "unique(company_id, neiqin_external_source, neiqin_external_ref)",
            "A ticket's external reference is unique per company and source.",
        )
    ]

    def init(self):
        result = super().init()
        # A partial index: a desk keeps a small share of its tickets open,
        # and the scan looks at those only (a full index on the deadline
        # would also hold every closed ticket's).
        create_index(
            self.env.cr,
            OPEN_DEADLINE_INDEX,
            self._table,
            ["neiqin_step_deadline_at"],
            where="neiqin_step_state = 'open'",
        )
        return result

    @api.model
    def _neiqin_overdue_tickets(self, limit=None):
        """The tickets whose current step is past its deadline, the most
        overdue first: one query on the open steps' deadline index, whatever
        the number of tickets."""
        return self.search(
            [("neiqin_step_is_overdue", "=", True)],
            order="neiqin_step_deadline_at, id",
            limit=limit,
        )

    # ------------------------------------------------------------ batch helper
    @api.model
    def _api_text_limits(self):
        return TEXT_LIMITS

    @api.model
    def _api_logger(self):
        return _logger

    @api.model
    def _api_check_ticket_caller(self, *operations):
        """Refuse the call, before any item, to anyone but a connector's API
        user or the helpdesk's staff (a portal user or an employee outside
        the helpdesk reads tickets they follow, through the portal or the
        chatter, not through the API), then to whoever lacks the rights."""
        if not self.env.su and not any(
            self.env.user.has_group(group)
            for group in (
                "neiqin_base.group_neiqin_connector",
                "helpdesk_mgmt.group_helpdesk_user_own",
            )
        ):
            raise AccessError(
                self.env._(
                    "Only a connector's user or the helpdesk's staff may call the tickets' API."
                )
            )
        self._api_check_access("helpdesk.ticket", *operations)

    # ------------------------------------------------------------ upsert
    @api.model
    def api_upsert_tickets(self, tickets):
        """Create or update tickets by external reference.

        Each ticket: ``source`` (required: the platform or system code) and
        ``external_ref`` (required: the ticket's reference there; unique per
        company and source), ``subject`` (required to create),
        ``description`` (plain text), ``service_type`` (consultation,
        complaint, return, exchange, refund, resend, repair, other),
        ``channel`` (web, email, phone, other), ``priority`` (0 to 3),
        ``platform`` and ``platform_order_no`` (the sale order, whose
        customer the ticket gets), ``customer`` {``name``, ``external_id``,
        ``email``, ``phone``} (matched as the orders API matches buyers,
        without an order), ``idempotency_key`` (optional). An update changes
        only the keys sent. Result items: ``status`` (created, updated,
        unchanged, error), ``id`` and ``number``.
        """
        self._api_check_ticket_caller("create", "write")
        return self._api_run(
            tickets,
            "external_ref",
            parse=self._api_parse_ticket,
            handler=self._api_upsert_ticket,
            build_index=self._api_ticket_index,
            method="api_upsert_tickets",
        )

    @api.model
    def _api_parse_ticket_key(self, data):
        text = self._api_text
        return (
            text(data.get("source"), "source", required=True),
            text(data.get("external_ref"), "external_ref", required=True),
        )

    @api.model
    def _api_parse_ticket(self, data):
        """The ticket ``data`` describes, its types and bounds checked."""
        _ = self.env._
        text = self._api_text
        source, ref = self._api_parse_ticket_key(data)
        clean = {"source": source, "ref": ref}
        if "subject" in data:
            clean["name"] = text(data["subject"], "subject", required=True)
        if "description" in data:
            clean["description"] = text(data["description"], "description", multiline=True)
        if data.get("service_type") not in (None, False, ""):
            codes = dict(SERVICE_TYPES)
            if not isinstance(data["service_type"], str) or data["service_type"] not in codes:
                raise UserError(
                    _(
                        "%(ref)s: service_type %(value)s is not known: give one of %(codes)s.",
                        ref=ref,
                        value=data["service_type"],
                        codes=", ".join(codes),
                    )
                )
            clean["neiqin_service_type"] = data["service_type"]
        if data.get("channel") not in (None, False, ""):
            channel = text(data["channel"], "channel")
            if channel not in CHANNELS:
                raise UserError(
                    _(
                        "%(ref)s: channel %(value)s is not known: give one of %(codes)s.",
                        ref=ref,
                        value=channel,
                        codes=", ".join(CHANNELS),
                    )
                )
            clean["channel"] = channel
        if data.get("priority") not in (None, False, ""):
            priority = data["priority"]
            if isinstance(priority, int) and not isinstance(priority, bool):
                priority = str(priority)
            if priority not in ("0", "1", "2", "3"):
                raise UserError(_("%s: priority must be 0, 1, 2 or 3.", ref))
            clean["priority"] = priority
        number = text(data.get("platform_order_no"), "platform_order_no")
        if number:
            clean["order"] = (self.env["sale.order"]._api_platform(data.get("platform")), number)
        customer = data.get("customer")
        if customer not in (None, False):
            if not isinstance(customer, dict):
                raise UserError(_("%s: customer must be a structure (dict).", ref))
            clean["customer"] = {
                key: text(customer.get(key), f"customer.{key}") for key in CUSTOMER_KEYS
            }
            # The buyer id as the orders API keeps it, under the order's
            # platform, else the ticket's source.
            platform = clean["order"][0] if "order" in clean else False
            clean["customer"]["ref"] = self.env["sale.order"]._api_customer_ref(
                clean["customer"], platform or source
            )
        return clean

    @api.model
    def _api_ticket_index(self, items):
        """What the checked items refer to, found for the whole call at
        once: the tickets by source and reference (and the references held
        by tickets the caller cannot see), the orders by platform number,
        the customers by buyer id, e-mail and phone."""
        company = self.env.company
        refs = list({item["ref"] for item in items})
        tickets = (
            self.search([("neiqin_external_ref", "in", refs), ("company_id", "=", company.id)])
            if refs
            else self
        )
        numbers = list({item["order"][1] for item in items if "order" in item})
        orders = (
            self.env["sale.order"].search(
                [("neiqin_platform_order_no", "in", numbers), ("company_id", "=", company.id)]
            )
            if numbers
            else self.env["sale.order"]
        )
        by_number = {}
        for order in orders:
            by_number.setdefault(order.neiqin_platform_order_no, []).append(order)
        return {
            "tickets": {(t.neiqin_external_source, t.neiqin_external_ref): t for t in tickets},
            "taken": self._api_taken_refs(refs),
            "orders": by_number,
            **self._api_customer_index([item["customer"] for item in items if "customer" in item]),
            "scratch": {},
        }

    def _api_taken_refs(self, refs):
        """The (source, reference) of the company's tickets holding one of
        ``refs``, whoever may see them: the unique constraint refuses these
        to a new ticket."""
        if not refs:
            return set()
        self.flush_model(["company_id", "neiqin_external_source", "neiqin_external_ref"])
        self.env.cr.execute(
            SQL(
                """SELECT neiqin_external_source, neiqin_external_ref FROM helpdesk_ticket
                    WHERE company_id = %s AND neiqin_external_ref = ANY(%s)""",
                self.env.company.id,
                refs,
            )
        )
        return set(self.env.cr.fetchall())

    @api.model
    def _api_customer_index(self, customers):
        """The customers ``customers`` may name, by buyer id (kept as the
        orders API keeps it: ``<platform>:<id>``), by normalised e-mail and
        by phone, found in one search with the orders API's look-up."""
        refs = {c["ref"] for c in customers if c["ref"]}
        emails = {email_normalize(c["email"]) for c in customers if c["email"]} - {False}
        phones = list({c["phone"] for c in customers if c["phone"]})
        domains = []
        if refs:
            domains.append([("ref", "in", list(refs))])
        if emails:
            domains.append([("email_normalized", "in", list(emails)), ("parent_id", "=", False)])
        if phones:
            domains.append(["|", ("phone", "in", phones), ("mobile", "in", phones)])
        partners = (
            self.env["sale.order"]._api_customer_search(expression.OR(domains))
            if domains
            else self.env["res.partner"]
        )
        by_ref, by_email, by_phone = {}, {}, {}
        for partner in partners:
            if partner.ref in refs:
                by_ref.setdefault(partner.ref, partner)
            if partner.email_normalized in emails and not partner.parent_id:
                by_email.setdefault(partner.email_normalized, partner)
            for number in (partner.phone, partner.mobile):
                if number in phones:
                    by_phone.setdefault(number, partner)
        return {"by_ref": by_ref, "by_email": by_email, "by_phone": by_phone}

    def _api_find_customer(self, customer, index):
        """The customer ``customer`` names: by buyer id, then e-mail, then
        phone; empty when none matches."""
        email = email_normalize(customer["email"]) if customer["email"] else False
        return (
            index["by_ref"].get(customer["ref"])
            or (email and index["by_email"].get(email))
            or index["by_phone"].get(customer["phone"])
            or self.env["res.partner"]
        )

    def _api_ticket_order(self, item, index):
        _ = self.env._
        platform, number = item["order"]
        candidates = [
            order
            for order in index["orders"].get(number, [])
            if not platform or (order.neiqin_platform or False) == platform
        ]
        if not candidates:
            raise UserError(
                _(
                    "%(ref)s: no order %(number)s found.",
                    ref=item["ref"],
                    number=number,
                )
            )
        if len(candidates) > 1:
            raise UserError(
                _(
                    "%(ref)s: %(number)s matches several orders: give the platform.",
                    ref=item["ref"],
                    number=number,
                )
            )
        return candidates[0]

    def _api_ticket_values(self, item, index):
        """The values ``item`` gives a ticket, and the order it links."""
        values = {k: item[k] for k in ("name", "neiqin_service_type", "priority") if k in item}
        if "description" in item:
            values["description"] = plaintext2html(item["description"] or item.get("name", ""))
        if "channel" in item:
            values["channel_id"] = self.env.ref(CHANNELS[item["channel"]]).id
        order = self._api_ticket_order(item, index) if "order" in item else None
        partner = order.partner_id if order else self.env["res.partner"]
        customer = item.get("customer")
        if not partner and customer:
            partner = self._api_find_customer(customer, index)
        if partner:
            values["partner_id"] = partner.id
        elif customer and (customer["name"] or customer["email"]):
            values["partner_name"] = customer["name"] or False
            values["partner_email"] = customer["email"] or False
        return values, order

    def _api_upsert_ticket(self, item, index):
        _ = self.env._
        key = (item["source"], item["ref"])
        ticket = index["scratch"].get(key) or index["tickets"].get(key)
        values, order = self._api_ticket_values(item, index)
        if not ticket:
            if key in index["taken"]:
                raise UserError(
                    _(
                        "%s already exists, in a ticket you may not see; nothing was changed.",
                        item["ref"],
                    )
                )
            if "name" not in values:
                raise UserError(_("%s: subject is required to create a ticket.", item["ref"]))
            values.setdefault("description", plaintext2html(values["name"]))
            values.update(
                neiqin_external_source=item["source"],
                neiqin_external_ref=item["ref"],
                company_id=self.env.company.id,
            )
            if order:
                values["sale_order_ids"] = [fields.Command.link(order.id)]
            ticket = self.with_context(**QUIET_CREATE).create(values)
            index["scratch"][key] = ticket
            return {"status": "created", "id": ticket.id, "number": ticket.number}
        changes = self._api_ticket_changes(ticket, values)
        if order and order not in ticket.sale_order_ids:
            changes["sale_order_ids"] = [fields.Command.link(order.id)]
        if not changes:
            return {"status": "unchanged", "id": ticket.id, "number": ticket.number}
        if ticket.closed:
            raise UserError(
                _(
                    "%s is closed: it can no longer change; add a message instead.",
                    item["ref"],
                )
            )
        ticket.write(changes)
        return {"status": "updated", "id": ticket.id, "number": ticket.number}

    @staticmethod
    def _api_ticket_changes(ticket, values):
        """The values that differ from what ``ticket`` holds (HTML compared
        as the field stores it, sanitised)."""
        changes = {}
        for name, value in values.items():
            field = ticket._fields[name]
            if field.type == "html":
                current = str(ticket[name] or "")
                wanted = str(field.convert_to_cache(value, ticket) or "")
            elif field.type == "many2one":
                current, wanted = ticket[name].id, value or False
            else:
                current, wanted = ticket[name] or False, value or False
            if current != wanted:
                changes[name] = value
        return changes

    # ------------------------------------------------------------ messages
    @api.model
    def api_add_ticket_messages(self, messages):
        """Post customers' messages on their tickets.

        Each message: ``source`` and ``external_ref`` (the ticket's, as
        ``api_upsert_tickets``), ``message_id`` (required: the message's id
        in the source; a message is posted once, whatever the number of
        pushes), ``body`` (required, plain text), ``idempotency_key``
        (optional). The message is the ticket's customer's (its e-mail when
        the ticket has no contact), as if they had written it. Result items:
        ``status`` (created, unchanged, error), ``id`` (the ticket's) and
        ``number``."""
        self._api_check_ticket_caller("write")
        return self._api_run(
            messages,
            "message_id",
            parse=self._api_parse_message,
            handler=self._api_add_message,
            build_index=self._api_message_index,
            method="api_add_ticket_messages",
        )

    @api.model
    def _api_parse_message(self, data):
        text = self._api_text
        source, ref = self._api_parse_ticket_key(data)
        return {
            "source": source,
            "ref": ref,
            "message_id": text(data.get("message_id"), "message_id", required=True),
            "body": text(data.get("body"), "body", required=True, multiline=True),
        }

    @api.model
    def _api_message_index(self, items):
        """The tickets the messages name and the message ids they already
        hold, one query each."""
        refs = list({item["ref"] for item in items})
        tickets = (
            self.search(
                [("neiqin_external_ref", "in", refs), ("company_id", "=", self.env.company.id)]
            )
            if refs
            else self
        )
        posted = set()
        wanted = list({item["message_id"] for item in items})
        if tickets and wanted:
            self.env["mail.message"].flush_model(["model", "res_id", "neiqin_external_id"])
            self.env.cr.execute(
                SQL(
                    """SELECT res_id, neiqin_external_id FROM mail_message
                        WHERE model = %s AND res_id = ANY(%s)
                          AND neiqin_external_id = ANY(%s)""",
                    self._name,
                    tickets.ids,
                    wanted,
                )
            )
            posted = set(self.env.cr.fetchall())
        return {
            "tickets": {(t.neiqin_external_source, t.neiqin_external_ref): t for t in tickets},
            "posted": posted,
        }

    def _api_add_message(self, item, index):
        _ = self.env._
        ticket = index["tickets"].get((item["source"], item["ref"]))
        if not ticket:
            raise UserError(
                _(
                    "%(message)s: no ticket %(ref)s from %(origin)s found.",
                    message=item["message_id"],
                    ref=item["ref"],
                    origin=item["source"],
                )
            )
        key = (ticket.id, item["message_id"])
        if key in index["posted"]:
            return {"status": "unchanged", "id": ticket.id, "number": ticket.number}
        if not ticket.partner_id and not ticket.partner_email:
            raise UserError(
                _(
                    "%(message)s: ticket %(ref)s has no customer (contact or e-mail) to write "
                    "it; send the ticket's customer first.",
                    message=item["message_id"],
                    ref=item["ref"],
                )
            )
        message = ticket.message_post(
            body=plaintext2html(item["body"]),
            author_id=ticket.partner_id.id or False,
            email_from=None if ticket.partner_id else ticket.partner_email,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        # sudo: the message this call just posted, written by the customer
        # (not the caller), who may not edit it; message_post refuses the
        # field, so that no one posting through the chatter sets it.
        message.sudo().neiqin_external_id = item["message_id"]
        index["posted"].add(key)
        return {"status": "created", "id": ticket.id, "number": ticket.number}

    # ------------------------------------------------------------ status
    @api.model
    def api_read_tickets(self, refs):
        """Status of tickets by external reference, in the order asked.

        Each item: ``{"source", "external_ref"}``. Each answer: ``found``
        (False for a ticket unknown or not readable: ``status``
        ``not_found``), ``id``, ``number``, ``stage``, ``closed``,
        ``service_type``, ``step`` (the code of the current process step),
        ``step_deadline`` (UTC), ``overdue`` and ``returns`` [{``name``,
        ``state``, ``operation``}]."""
        self._api_check_ticket_caller("read")
        items = self._api_items(refs)
        results, parsed = self._api_parse(items, "external_ref", self._api_parse_read)
        wanted = list({clean[1] for _i, _k, clean, _idem in parsed})
        tickets = (
            self.search(
                [("neiqin_external_ref", "in", wanted), ("company_id", "=", self.env.company.id)]
            )
            if wanted
            else self
        )
        by_key = {(t.neiqin_external_source, t.neiqin_external_ref): t for t in tickets}
        # sudo: the returns of tickets the caller may read (found above with
        # its rights), their name, state and operation only.
        returns = tickets.sudo().neiqin_rma_ids
        by_ticket = returns.grouped("neiqin_ticket_id")
        for position, key, clean, _idem in parsed:
            ticket = by_key.get(clean)
            if not ticket:
                results[position] = {
                    "index": position,
                    "external_ref": key,
                    "status": "not_found",
                    "found": False,
                }
                continue
            results[position] = {
                "index": position,
                "external_ref": key,
                **self._api_ticket_status(ticket, by_ticket.get(ticket, returns.browse())),
            }
        return self._api_results(results)

    @api.model
    def _api_parse_read(self, data):
        return self._api_parse_ticket_key(data)

    @staticmethod
    def _api_ticket_status(ticket, returns):
        return {
            "status": "found",
            "found": True,
            "source": ticket.neiqin_external_source,
            "id": ticket.id,
            "number": ticket.number,
            "stage": ticket.stage_id.name or False,
            "closed": ticket.closed,
            "service_type": ticket.neiqin_service_type,
            "step": ticket.neiqin_step_id.code or False,
            "step_deadline": fields.Datetime.to_string(ticket.neiqin_step_deadline_at) or False,
            "overdue": ticket.neiqin_step_is_overdue,
            "returns": [
                {
                    "name": rma.name,
                    "state": rma.state,
                    "operation": rma.operation_id.name or False,
                }
                for rma in returns
            ],
        }
