import logging

import phonenumbers

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.neiqin_base.engine import condition
from odoo.addons.neiqin_base.engine.guard import engine_writes, require_group

_logger = logging.getLogger(__name__)

KINDS = [
    ("phone", "Normalise phone numbers"),
    ("trim", "Trim spaces"),
    ("case", "Fix letter case"),
    ("merge", "Merge duplicate customers"),
]
# The partner fields each kind cleans.
KIND_FIELDS = {
    "phone": ("phone", "mobile"),
    "trim": ("name", "email", "phone", "mobile", "street", "city"),
    "case": ("email", "name"),
}
LINE_STATES = [
    ("pending", "To Apply"),
    ("applied", "Applied"),
    ("skipped", "Skipped (changed since the preview)"),
    ("undone", "Undone"),
    ("conflict", "Not undone (changed since applied)"),
]
BATCH = 1000
CLEANING_FIELDS = {
    "state",
    "previewed_at",
    "previewed_by_id",
    "applied_at",
    "applied_by_id",
    "undone_at",
    "undone_by_id",
}
LINE_FIELDS = {
    "cleaning_id",
    "partner_id",
    "field_name",
    "old_value",
    "new_value",
    "state",
    "applied_at",
    "applied_by_id",
    "undone_at",
    "undone_by_id",
    "merged_into_id",
}


def format_phone(number):
    """``number`` in E.164 (+8613812345678) when phonenumbers reads it as a
    valid number, China being the default region; else None (left as is:
    the malformed-phone rule reports it)."""
    try:
        parsed = phonenumbers.parse(number, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


class NeiqinCleaning(models.Model):
    """A cleaning run over customers: previewed (a line per value it would
    change), applied in batches (a value changed since the preview is
    skipped), and undone by a lead where nobody changed the value since.
    The lines are the log: who, when, the old and the new value."""

    _name = "neiqin.cleaning"
    _description = "Data cleaning run"
    _inherit = ["mail.thread", "neiqin.engine.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, default=lambda self: self.env._("Cleaning"))
    kind = fields.Selection(KINDS, required=True, default="phone", tracking=True)
    scope_domain = fields.Char(
        string="Customers",
        default="[]",
        required=True,
        help="A condition on contacts, e.g. [('customer_rank', '>', 0)]: literal values and "
        "placeholders only, never code.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("previewed", "Previewed"),
            ("applied", "Applied"),
            ("undone", "Undone"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    line_ids = fields.One2many("neiqin.cleaning.line", "cleaning_id", string="Changes")
    line_count = fields.Integer(compute="_compute_line_count", string="Number of Changes")
    previewed_at = fields.Datetime(readonly=True, copy=False)
    previewed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    applied_at = fields.Datetime(readonly=True, copy=False)
    applied_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    undone_at = fields.Datetime(readonly=True, copy=False)
    undone_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    def _compute_line_count(self):
        counts = dict(
            self.env["neiqin.cleaning.line"]._read_group(
                [("cleaning_id", "in", self.ids)], ["cleaning_id"], ["__count"]
            )
        )
        for run in self:
            run.line_count = counts.get(run, 0)

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | CLEANING_FIELDS

    @api.constrains("scope_domain")
    def _check_scope_domain(self):
        for run in self:
            run._scope_domain()

    def write(self, vals):
        if {"kind", "scope_domain"} & set(vals) and any(r.state != "draft" for r in self):
            raise UserError(self.env._("Reset the run to draft before changing what it cleans."))
        return super().write(vals)

    # ------------------------------------------------------------------ scope
    def _scope_domain(self):
        """The run's condition on contacts: a literal domain, parsed and its
        placeholders replaced (neiqin_base's engine/condition.py), checked
        against res.partner; nothing of it is run."""
        try:
            domain = condition.resolve(
                condition.parse(self.scope_domain), condition.env_values(self.env)
            )
        except condition.ConditionError as exc:
            raise ValidationError(
                self.env._(
                    "Cleaning %(run)s: the condition %(domain)s is not valid: %(error)s",
                    run=self.name,
                    domain=self.scope_domain,
                    error=self.env._(exc.args[0], **exc.params),  # pylint: disable=translation-required
                )
            ) from exc
        try:
            self.env["res.partner"]._search(domain)
        except (ValueError, TypeError, KeyError) as exc:
            raise ValidationError(
                self.env._(
                    "Cleaning %(run)s: the condition %(domain)s is not valid: %(error)s",
                    run=self.name,
                    domain=self.scope_domain,
                    error=exc.args[0] if exc.args else exc,
                )
            ) from exc
        return domain

    def _scope_query(self):
        """The ids of the contacts in scope as a subquery, as the user sees
        them (record rules in force), of the run's company or shared."""
        domain = [
            *self._scope_domain(),
            ("company_id", "in", [self.company_id.id, False]),
        ]
        return self.env["res.partner"]._search(domain).subselect()

    # ------------------------------------------------------------------ preview
    def _candidates(self):
        """[(partner id, field, current value, cleaned value or None)] of the
        contacts in scope: one query; trimming and case are done by SQL,
        phone numbers by phonenumbers on the fetched values."""
        self.env["res.partner"].flush_model()
        scope = self._scope_query()
        fnames = KIND_FIELDS[self.kind]
        values = SQL(", ").join(SQL("(%s, %s)", name, SQL.identifier(name)) for name in fnames)
        if self.kind == "trim":
            cleaned = SQL("btrim(regexp_replace(v.value, '[[:space:]]+', ' ', 'g'))")
        elif self.kind == "case":
            cleaned = SQL(
                """CASE WHEN v.field = 'email' THEN lower(btrim(v.value))
                        WHEN v.value ~ '^[[:space:]]*[A-Za-z][A-Za-z .''-]*$'
                             AND (v.value = lower(v.value) OR v.value = upper(v.value))
                        THEN initcap(btrim(v.value))
                        ELSE btrim(v.value) END"""
            )
        else:
            cleaned = SQL("NULL::varchar")
        rows = self.env.execute_query(
            SQL(
                """SELECT p.id, v.field, v.value, %s
                     FROM res_partner p, LATERAL (VALUES %s) AS v (field, value)
                    WHERE p.id IN %s AND v.value IS NOT NULL AND v.value <> ''
                    ORDER BY p.id, v.field""",
                cleaned,
                values,
                scope,
            )
        )
        if self.kind == "phone":
            rows = [(pid, fname, old, format_phone(old)) for pid, fname, old, _new in rows]
        return rows

    def action_preview(self):
        """Button: list what the run would change, one line per value, only
        values it changes. Set-based: one query reads the candidates, one
        insert writes the lines."""
        self._check_clerk()
        self.ensure_one()
        if self.state not in ("draft", "previewed"):
            raise UserError(self.env._("Only a draft run can be previewed."))
        if self.kind == "merge":
            rows = self._merge_preview()
        else:
            rows = [
                (pid, fname, old, new, None)
                for pid, fname, old, new in self._candidates()
                if new is not None and new != old
            ]
        with engine_writes():
            # The run's own preview is replaced: its lines were never applied
            # (a run in draft or previewed state), and the log is kept
            # from deletion by the access rights otherwise.
            self.line_ids.sudo().unlink()
            self._insert_lines(rows)
            self.write(
                {
                    "state": "previewed",
                    "previewed_at": fields.Datetime.now(),
                    "previewed_by_id": self.env.user.id,
                }
            )
        return True

    def _insert_lines(self, rows):
        """Write the preview's lines, [(partner id, field, old value, new
        value, merged into id)], with one INSERT whatever their number: the
        lines are the engine's log, made from the contacts the user's scope
        found; nobody creates them by hand."""
        if not rows:
            return
        partner_ids, fnames, olds, news, merged = (list(column) for column in zip(*rows))
        now = fields.Datetime.now()
        self.env.execute_query(
            SQL(
                """INSERT INTO neiqin_cleaning_line
                       (cleaning_id, company_id, partner_id, field_name, old_value, new_value,
                        merged_into_id, state, create_uid, write_uid, create_date, write_date)
                   SELECT %s, %s, l.partner_id, l.field_name, l.old_value, l.new_value,
                          l.merged_into_id, 'pending', %s, %s, %s, %s
                     FROM unnest(%s::int[], %s::varchar[], %s::varchar[], %s::varchar[],
                                 %s::int[])
                          AS l (partner_id, field_name, old_value, new_value, merged_into_id)""",
                self.id,
                self.company_id.id,
                self.env.uid,
                self.env.uid,
                now,
                now,
                partner_ids,
                fnames,
                olds,
                news,
                merged,
            )
        )
        self.invalidate_recordset(["line_ids", "line_count"])

    def action_reset(self):
        self._check_clerk()
        if any(run.state != "previewed" for run in self):
            raise UserError(self.env._("Only a previewed run goes back to draft."))
        with engine_writes():
            # Lines of a preview never applied (see action_preview).
            self.line_ids.sudo().unlink()
            self.write({"state": "draft"})
        return True

    # ------------------------------------------------------------------ apply
    def action_apply(self):
        """Button: write the previewed values, in batches. A value changed
        since the preview is skipped and its line flagged."""
        self._check_clerk()
        self.ensure_one()
        if self.state != "previewed":
            raise UserError(self.env._("Preview the run before applying it."))
        if self.kind == "merge":
            self._merge_apply()
        else:
            self._apply_lines(self.line_ids.filtered(lambda ln: ln.state == "pending"))
        with engine_writes():
            self.write(
                {
                    "state": "applied",
                    "applied_at": fields.Datetime.now(),
                    "applied_by_id": self.env.user.id,
                }
            )
        return True

    def _apply_lines(self, lines, commit=False):
        now = fields.Datetime.now()
        for start in range(0, len(lines), BATCH):
            batch = lines[start : start + BATCH]
            current = self._current_values(batch)
            applied = batch.filtered(lambda ln, cur=current: cur.get(ln.id) == ln.old_value)
            # As the engine: the ids and values are the preview's lines
            # (engine-owned, not the caller's), taken from the contacts the
            # user could read when previewing; the back-office roles may not
            # write contacts themselves.
            self._write_partner_values(
                [(line.partner_id.id, line.field_name, line.new_value) for line in applied]
            )
            with engine_writes():
                applied.write(
                    {"state": "applied", "applied_at": now, "applied_by_id": self.env.user.id}
                )
                (batch - applied).write({"state": "skipped"})
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _write_partner_values(self, rows):
        """Write ``rows`` [(partner id, field name, value)] as the engine, a
        constant number of queries whatever their number: one UPDATE per
        field (the fields of a kind, six at most), with what the ORM's
        write would do around it: the tracked values noted before (the
        chatter's tracking at commit), the write date and author, the
        contacts of a company following its address, the cache invalidated
        and the fields computed from these recomputed."""
        by_field = {}
        for partner_id, fname, value in rows:
            by_field.setdefault(fname, {})[partner_id] = None if value is False else value
        if not by_field:
            return
        # sudo: the callers pass the ids and values of a run's own lines
        # (engine-owned), never ids a caller chose.
        Partner = self.env["res.partner"].sudo()
        for fname in by_field:
            field = Partner._fields[fname]
            if not (field.store and field.type == "char" and not field.translate):
                raise UserError(self.env._("A cleaning cannot write the field %s.", fname))
        Partner.flush_model()
        partners = Partner.browse(sorted({pid for values in by_field.values() for pid in values}))
        # Odoo gives a company's address to its contacts (``_children_sync``).
        address = [fname for fname in by_field if fname in Partner._address_fields()]
        children = Partner.browse()
        if address:
            children = Partner.search(
                [("parent_id", "in", partners.ids), ("type", "=", "contact")], order="id"
            )
        touched = partners | children
        if not self.env.context.get("tracking_disable"):
            touched._track_prepare(Partner._fields)
        now = fields.Datetime.now()
        for fname, values in by_field.items():
            table = SQL(", ").join(SQL("(%s, %s)", pid, value) for pid, value in values.items())
            column = SQL.identifier(fname)
            self.env.cr.execute(
                SQL(
                    """UPDATE res_partner p
                          SET %s = v.value::varchar, write_uid = %s, write_date = %s
                         FROM (VALUES %s) AS v(id, value)
                        WHERE p.id = v.id""",
                    column,
                    self.env.uid,
                    now,
                    table,
                )
            )
            if fname in address and children:
                self.env.cr.execute(
                    SQL(
                        """UPDATE res_partner c
                              SET %s = v.value::varchar, write_uid = %s, write_date = %s
                             FROM (VALUES %s) AS v(id, value)
                            WHERE c.parent_id = v.id AND c.type = 'contact' AND c.active""",
                        column,
                        self.env.uid,
                        now,
                        table,
                    )
                )
        names = [*by_field, "write_uid", "write_date"]
        touched.invalidate_recordset(names)
        touched.modified(list(by_field))
        _logger.info(
            "Cleaning: %s values written on %s contacts",
            sum(len(values) for values in by_field.values()),
            len(touched),
        )

    def _current_values(self, lines):
        """{line id: the current value of its partner's field}: one query."""
        self.env["res.partner"].flush_model()
        by_field = {}
        for line in lines:
            by_field.setdefault(line.field_name, []).append(line)
        result = {}
        for fname, field_lines in by_field.items():
            rows = self.env.execute_query(
                SQL(
                    "SELECT id, %s FROM res_partner WHERE id = ANY(%s)",
                    SQL.identifier(fname),
                    [line.partner_id.id for line in field_lines],
                )
            )
            values = dict(rows)
            for line in field_lines:
                result[line.id] = values.get(line.partner_id.id)
        return result

    # ------------------------------------------------------------------ undo
    def action_undo(self):
        """Button (lead): restore the old values of the whole run."""
        self.ensure_one()
        self.line_ids.action_undo()
        with engine_writes():
            self.write(
                {
                    "state": "undone",
                    "undone_at": fields.Datetime.now(),
                    "undone_by_id": self.env.user.id,
                }
            )
        return True

    def _check_clerk(self):
        require_group(
            self.env,
            "neiqin_base.group_neiqin_clerk",
            self.env._("Only back-office staff can run a data cleaning."),
        )

    # ------------------------------------------------------------------ merge
    def _merge_groups(self):
        """Groups of contacts in scope sharing an email (case ignored) or a
        phone number (digits, +86 ignored), as the duplicate rules find
        them: [[partner ids, oldest first]]. One query."""
        from .res_partner import phone_key  # noqa: PLC0415

        self.env["res.partner"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """WITH keys AS (
                       SELECT p.id, 'e:' || lower(btrim(p.email)) AS k FROM res_partner p
                        WHERE p.id IN %s AND btrim(coalesce(p.email, '')) <> ''
                       UNION
                       SELECT p.id, 'p:' || %s FROM res_partner p
                        WHERE p.id IN %s AND p.phone IS NOT NULL
                          AND length(%s) >= 7
                   )
                   SELECT array_agg(id ORDER BY id) FROM keys
                    GROUP BY k HAVING count(*) > 1""",
                self._scope_query(),
                phone_key(SQL("p.phone")),
                self._scope_query(),
                phone_key(SQL("p.phone")),
            )
        )
        # A contact in two groups (same email as one, same phone as another)
        # is merged with the first group only.
        seen, groups = set(), []
        for (ids,) in rows:
            ids = [pid for pid in ids if pid not in seen]
            if len(ids) > 1:
                seen.update(ids)
                groups.append(ids)
        return groups

    def _merge_preview(self):
        return [
            (pid, "merge", str(pid), str(ids[0]), ids[0])
            for ids in self._merge_groups()
            # Odoo's wizard merges three contacts at most: the rest of a
            # larger group is left to the next run.
            for pid in ids[1:3]
        ]

    def _merge_apply(self):
        """Merge each group with Odoo's own merge wizard, into its oldest
        contact. A merge cannot be undone."""
        Wizard = self.env["base.partner.merge.automatic.wizard"]
        lines = self.line_ids.filtered(lambda ln: ln.state == "pending")
        now = fields.Datetime.now()
        for dst, group_lines in lines.grouped("merged_into_id").items():
            partners = (group_lines.partner_id | dst).exists()
            if len(partners) < 2 or dst not in partners:
                with engine_writes():
                    group_lines.write({"state": "skipped"})
                continue
            wizard = Wizard.create(
                {
                    "partner_ids": [fields.Command.set(partners.ids)],
                    "dst_partner_id": dst.id,
                    "state": "selection",
                }
            )
            try:
                with self.env.cr.savepoint():
                    wizard.action_merge()
            except UserError as exc:
                with engine_writes():
                    group_lines.write({"state": "skipped", "note": str(exc.args[0])})
                continue
            with engine_writes():
                group_lines.write(
                    {"state": "applied", "applied_at": now, "applied_by_id": self.env.user.id}
                )


class NeiqinCleaningLine(models.Model):
    """One value a cleaning run changes: the log of who changed what, when,
    from what to what, and whether it was undone."""

    _name = "neiqin.cleaning.line"
    _description = "Data cleaning change"
    _inherit = ["neiqin.engine.mixin"]
    _order = "cleaning_id, id"

    cleaning_id = fields.Many2one(
        "neiqin.cleaning", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="cleaning_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Contact", ondelete="set null", readonly=True, index=True
    )
    field_name = fields.Char(string="Field", readonly=True)
    old_value = fields.Char(readonly=True)
    new_value = fields.Char(readonly=True)
    merged_into_id = fields.Many2one("res.partner", ondelete="set null", readonly=True)
    state = fields.Selection(LINE_STATES, default="pending", required=True, readonly=True)
    note = fields.Char(help="Why the line was skipped, or a remark of the team.")
    applied_at = fields.Datetime(readonly=True)
    applied_by_id = fields.Many2one("res.users", readonly=True)
    undone_at = fields.Datetime(readonly=True)
    undone_by_id = fields.Many2one("res.users", readonly=True)

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | LINE_FIELDS

    def action_undo(self):
        """Button (lead): restore the old value of these applied lines where
        the current value is still the one the run wrote; else flag a
        conflict. Merges cannot be undone."""
        require_group(
            self.env,
            "neiqin_base.group_neiqin_lead",
            self.env._("Only a back-office lead can undo a cleaning."),
        )
        if any(line.field_name == "merge" for line in self):
            raise UserError(self.env._("A merge of contacts cannot be undone."))
        lines = self.filtered(lambda ln: ln.state == "applied")
        current = self.env["neiqin.cleaning"]._current_values(lines)
        undone = lines.filtered(lambda ln: current.get(ln.id) == ln.new_value)
        # As the engine, as the run applied them: restores the values the
        # run's own lines logged, on the contacts it changed.
        self.env["neiqin.cleaning"]._write_partner_values(
            [(line.partner_id.id, line.field_name, line.old_value) for line in undone]
        )
        with engine_writes():
            undone.write(
                {
                    "state": "undone",
                    "undone_at": fields.Datetime.now(),
                    "undone_by_id": self.env.user.id,
                }
            )
            (lines - undone).write({"state": "conflict"})
        return True
