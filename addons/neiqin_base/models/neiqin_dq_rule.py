import logging
import re
import threading
import time

from psycopg2 import DataError, ProgrammingError

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, ormcache, sql

from ..engine import changes, condition, filing, reads, rescan, scan_index
from ..engine.guard import require_group
from ..engine.rule_sql import (
    DOMAIN_BUILDERS,
    SQL_TYPES,
    RuleSpec,
    bad_ids_query,
    candidate_domain,
    few_ids,
)

_logger = logging.getLogger(__name__)

# Check methods a rule of type "method" calls are named so: the other
# methods of the data-quality mixin (_neiqin_dq_rules...) are not checks.
METHOD_PREFIX = "_neiqin_dq_check_"
NUMERIC_TYPES = ("integer", "float", "monetary")
TEXT_TYPES = ("char", "text")
# Rule fields that decide which indexes a scan needs.
INDEX_FIELDS = {
    "model_id",
    "rule_type",
    "field_ids",
    "case_insensitive",
    "bad_record_domain",
    "linked_record_domain",
    "scope_domain",
}
# The context keys a scan reads (see _scan).
SCAN_CONTEXT = ("lang", "tz", "allowed_company_ids")
# Rule fields that decide what a rescan statement is (see _rescan_plan).
PLAN_FIELDS = INDEX_FIELDS | {
    "company_id",
    "pattern",
    "has_min",
    "min_value",
    "has_max",
    "max_value",
    "method_name",
}


class NeiqinDqRule(models.Model):
    """A data-quality rule on one model.

    A scan compiles the rule into one SQL query over its candidate records
    (engine/rule_sql.py), then opens, reopens and closes ``neiqin.dq.issue``
    rows with a handful of set-based writes. Scans are incremental by
    ``write_date``: they check what changed since the last one, and what
    the rule reads of it.
    """

    _name = "neiqin.dq.rule"
    _description = "Data-quality rule"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: the rule applies to every company."
    )
    model_id = fields.Many2one(
        "ir.model",
        required=True,
        ondelete="cascade",
        domain=[("transient", "=", False)],
        tracking=True,
    )
    model_name = fields.Char(related="model_id.model", store=True, index=True, string="Model Name")
    rule_type = fields.Selection(
        [
            ("required", "Required fields"),
            ("regex", "Pattern (regular expression)"),
            ("range", "Numeric range"),
            ("domain", "Condition (domain)"),
            ("duplicate", "Duplicate key"),
            ("reference", "Reference (linked record)"),
            ("method", "Module check (Python method)"),
        ],
        string="Type",
        required=True,
        default="required",
        tracking=True,
    )
    field_ids = fields.Many2many(
        "ir.model.fields",
        string="Fields",
        domain="[('model_id', '=', model_id), ('store', '=', True)]",
        help="Required: every field must be set. Duplicate key: records with the same "
        "values in all these fields. Pattern, range and reference: exactly one field.",
    )
    pattern = fields.Char(
        help="PostgreSQL regular expression the value must match, e.g. ^1[3-9][0-9]{9}$"
    )
    has_min = fields.Boolean(string="Minimum")
    min_value = fields.Float(string="Minimum Value")
    has_max = fields.Boolean(string="Maximum")
    max_value = fields.Float(string="Maximum Value")
    bad_record_domain = fields.Char(
        string="Wrong When",
        help="Condition rules: the records matching this condition are wrong, "
        "e.g. no phone, no mobile and no email.",
    )
    linked_record_domain = fields.Char(
        string="Linked Record Must Match",
        help="Reference rules: the record the field links to must exist, be active and "
        "match this condition. Empty: existing and active is enough.",
    )
    scope_domain = fields.Char(
        string="Applies To", default="[]", help="Only records matching this are checked."
    )
    case_insensitive = fields.Boolean(
        help="Duplicate key: compare texts ignoring case and surrounding spaces."
    )
    method_name = fields.Char(
        string="Method",
        help="Name of a check method provided by a module on the model; "
        "it starts with _neiqin_dq_check_.",
    )
    severity = fields.Selection(
        [("info", "Info"), ("warning", "Warning"), ("blocking", "Blocking")],
        required=True,
        default="warning",
        tracking=True,
        help="Blocking issues stop the documents that use this rule as a gate "
        "(order review, publishing).",
    )
    owner_user_id = fields.Many2one("res.users", string="Owner", tracking=True)
    owner_team_id = fields.Many2one("neiqin.team", tracking=True)
    message = fields.Char(translate=True, help="Shown on each issue; the rule's name when empty.")
    issue_ids = fields.One2many("neiqin.dq.issue", "rule_id", string="Issues")
    open_issue_count = fields.Integer(compute="_compute_open_issue_count", string="Open Issues")
    can_read_model = fields.Boolean(
        compute="_compute_can_read_model",
        help="Whether the user may read the records the rule checks: the form then shows "
        "its conditions with their fields named and their records counted, else as text.",
    )
    last_scan_at = fields.Datetime(string="Last Scan", readonly=True, copy=False)
    last_full_scan_at = fields.Datetime(
        string="Last Full Scan",
        readonly=True,
        copy=False,
        help="The scheduled scan checks every record in scope again once a day: it finds "
        "records that became wrong as time passed, or whose deletion the database made "
        "by itself. In between, it checks what changed.",
    )
    rescan_from = fields.Datetime(
        string="Next Rescan From",
        readonly=True,
        copy=False,
        help="The next incremental scan checks the records written since then: the start of "
        "the oldest transaction still open when the last scan began, as what it writes is "
        "dated from its start but seen only once it is saved.",
    )
    last_scan_checked = fields.Integer(string="Checked by Last Scan", readonly=True, copy=False)
    last_scan_seconds = fields.Float(
        string="Last Scan Duration (s)",
        readonly=True,
        copy=False,
        help="The rules of one model are scanned together: each shows the time of the whole scan.",
    )

    # ------------------------------------------------------------------ compute
    def _compute_open_issue_count(self):
        counts = dict(
            self.env["neiqin.dq.issue"]._read_group(
                [("rule_id", "in", self.ids), ("state", "=", "open")], ["rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.open_issue_count = counts.get(rule, 0)

    @api.depends("model_name")
    @api.depends_context("uid")
    def _compute_can_read_model(self):
        # The domain widget counts the records a condition matches as the
        # user: on a model they may not read it can only say "invalid".
        for rule in self:
            model = self.env.get(rule.model_name) if rule.model_name else None
            rule.can_read_model = model is not None and model.has_access("read")

    # ------------------------------------------------------------------ checks
    def _placeholder_values(self):
        """The values of a condition's placeholders (engine/condition.py)
        for this environment: its user, companies, time zone and clock."""
        return condition.env_values(self.env)

    def _eval_domain(self, text, model=None):
        """The domain a condition text holds, its placeholders replaced by
        their values: conditions are data (a literal domain), nothing of them
        is run. With ``model``, also checked against it: its fields exist,
        and the user saving the rule may read them."""
        _ = self.env._
        try:
            domain = condition.resolve(condition.parse(text), self._placeholder_values())
        except condition.ConditionError as exc:
            raise ValidationError(
                _(
                    "Rule %(rule)s: the condition %(domain)s is not valid: %(error)s",
                    rule=self.name,
                    domain=text,
                    error=_(exc.args[0], **exc.params),  # pylint: disable=translation-required
                )
            ) from exc
        if model is not None and domain:
            self._check_readable_paths(model, [leaf[0] for leaf in condition.leaves(domain)])
            try:
                model.with_context(active_test=False)._search(domain)
            except (ValueError, TypeError, KeyError, AccessError, UserError) as exc:
                raise ValidationError(
                    _(
                        "Rule %(rule)s: the condition %(domain)s is not valid: %(error)s",
                        rule=self.name,
                        domain=text,
                        error=exc.args[0] if exc.args else exc,
                    )
                ) from exc
        return domain

    def _check_readable_paths(self, model, paths):
        """Refuse a rule reading what its author may not read: the rule runs
        as the engine, so a field its author cannot read would let them learn
        it from the issues the rule files. Each field of ``paths`` (dotted,
        from ``model``) must exist and be readable by the user, and so must
        each model a path goes through."""
        if self.env.su:
            return
        _ = self.env._
        for path in paths:
            current = model
            for name in str(path).split("."):
                if not current.has_access("read"):
                    raise ValidationError(
                        _(
                            "Rule %(rule)s: you may not read %(model)s, which %(path)s reads.",
                            rule=self.name,
                            model=current._description,
                            path=path,
                        )
                    )
                field = current._fields.get(name)
                if field is None:
                    raise ValidationError(
                        _(
                            "Rule %(rule)s: %(model)s has no field %(field)s (in %(path)s).",
                            rule=self.name,
                            model=current._description,
                            field=name,
                            path=path,
                        )
                    )
                if not field.is_accessible(self.env):
                    raise ValidationError(
                        _(
                            "Rule %(rule)s: you may not read the field %(field)s of %(model)s.",
                            rule=self.name,
                            field=name,
                            model=current._description,
                        )
                    )
                if not field.relational:
                    break
                current = self.env[field.comodel_name]

    @api.constrains(
        "model_id",
        "rule_type",
        "field_ids",
        "pattern",
        "has_min",
        "has_max",
        "min_value",
        "max_value",
        "bad_record_domain",
        "linked_record_domain",
        "scope_domain",
        "method_name",
    )
    def _check_configuration(self):
        for rule in self:
            rule._check_one()

    def _check_one(self):
        _ = self.env._
        if self.model_name not in self.env:
            raise ValidationError(
                _(
                    "Rule %(rule)s: the model %(model)s is not installed.",
                    rule=self.name,
                    model=self.model_name,
                )
            )
        model = self.env[self.model_name]
        self._check_fields(model)
        self._check_type(model)
        self._eval_domain(self.scope_domain, model)

    def _check_fields(self, model):
        """The rule's fields: stored fields of its model the user may read,
        as many as its type checks."""
        _ = self.env._
        self._check_readable_paths(model, self.field_ids.mapped("name") or ["id"])
        for fld in self.field_ids:
            if (
                fld.model_id != self.model_id
                or fld.name not in model._fields
                or not model._fields[fld.name].store
            ):
                raise ValidationError(
                    _(
                        "Rule %(rule)s: %(field)s is not a stored field of %(model)s.",
                        rule=self.name,
                        field=fld.name,
                        model=self.model_name,
                    )
                )
        single = self.rule_type in ("regex", "range", "reference")
        if (
            self.rule_type in ("required", "duplicate", "regex", "range", "reference")
            and not self.field_ids
        ):
            raise ValidationError(_("Rule %s: choose the field(s) it checks.", self.name))
        if single and len(self.field_ids) != 1:
            raise ValidationError(_("Rule %s: this type checks exactly one field.", self.name))

    def _check_type(self, model):
        """What the rule's type needs: the type of its field, its pattern,
        bounds, condition or check method."""
        _ = self.env._
        ftype = self.field_ids[:1].ttype
        if self.rule_type == "regex":
            if ftype not in TEXT_TYPES:
                raise ValidationError(_("Rule %s: a pattern checks a text field.", self.name))
            self._check_pattern()
        elif self.rule_type == "range":
            if ftype not in NUMERIC_TYPES:
                raise ValidationError(_("Rule %s: a range checks a number field.", self.name))
            if not (self.has_min or self.has_max):
                raise ValidationError(_("Rule %s: set a minimum, a maximum or both.", self.name))
            if self.has_min and self.has_max and self.min_value > self.max_value:
                raise ValidationError(_("Rule %s: the minimum is above the maximum.", self.name))
        elif self.rule_type == "reference":
            if ftype != "many2one":
                raise ValidationError(
                    _("Rule %s: a reference check needs a many2one field.", self.name)
                )
            comodel = self.env[model._fields[self.field_ids.name].comodel_name]
            self._eval_domain(self.linked_record_domain, comodel)
        elif self.rule_type == "domain":
            if not self._eval_domain(self.bad_record_domain, model):
                raise ValidationError(
                    _("Rule %s: write the condition that bad records match.", self.name)
                )
        elif self.rule_type == "method":
            name = self.method_name or ""
            if not name.startswith(METHOD_PREFIX) or not callable(getattr(model, name, None)):
                raise ValidationError(
                    _(
                        "Rule %(rule)s: %(method)s is not a check method of %(model)s "
                        "(its name must start with %(prefix)s).",
                        rule=self.name,
                        method=name or "-",
                        model=self.model_name,
                        prefix=METHOD_PREFIX,
                    )
                )

    def _check_pattern(self):
        try:
            re.compile(self.pattern or "")
        except re.error as exc:
            raise ValidationError(
                self.env._(
                    "Rule %(rule)s: the pattern %(pattern)s is not a valid regular "
                    "expression: %(error)s",
                    rule=self.name,
                    pattern=self.pattern,
                    error=exc,
                )
            ) from exc
        if not self.pattern:
            raise ValidationError(
                self.env._("Rule %s: write the pattern values must match.", self.name)
            )
        # PostgreSQL's dialect differs from Python's in places: ask it too.
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(SQL("SELECT '' ~ %s", self.pattern))
        except (DataError, ProgrammingError) as exc:
            raise ValidationError(
                self.env._(
                    "Rule %(rule)s: the database rejects the pattern %(pattern)s: %(error)s",
                    rule=self.name,
                    pattern=self.pattern,
                    error=exc.pgerror or exc,
                )
            ) from exc

    # ------------------------------------------------------------------ index
    def _check_company_scope(self):
        """A rule stops the documents of its company, or of every company
        when it has none: only a user working for those companies saves it
        (record rules let a lead read the rules shared by every company)."""
        if self.env.su:
            return
        mine = self.env.user.company_ids
        for rule in self:
            if rule.company_id and rule.company_id not in mine:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s belongs to %(company)s, which you do not work for.",
                        rule=rule.name,
                        company=rule.company_id.sudo().name,
                    )
                )
            if not rule.company_id and mine != self.env["res.company"].sudo().search([]):
                raise ValidationError(
                    self.env._(
                        "Rule %s applies to every company: only a user of every company may "
                        "change it. Choose its company.",
                        rule.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        rules._check_company_scope()
        rules._scan_indexes_changed()
        self.env.registry.clear_cache()  # _scanned_models
        return rules

    def write(self, vals):
        self.check_access("write")
        self._check_company_scope()
        result = super().write(vals)
        if "company_id" in vals:
            self._check_company_scope()
        if INDEX_FIELDS & set(vals) or "active" in vals:
            self._scan_indexes_changed()
        if PLAN_FIELDS & set(vals):
            # _scanned_models, and the compiled rescans (keyed by the rules'
            # write dates too, which two edits in a transaction share).
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        self.check_access("unlink")
        self._check_company_scope()
        result = super().unlink()
        self.browse()._scan_indexes_changed()
        self.env.registry.clear_cache()
        return result

    @api.model
    @ormcache()
    def _scanned_models(self):
        """The models some rule scans, archived rules included (their open
        issues stay open): their records' issues close when they are deleted."""
        if not sql.column_exists(self.env.cr, self._table, "model_name"):
            # While the module is being installed or removed (the uninstall
            # drops the column before the table).
            return frozenset()
        self.env.cr.execute(SQL("SELECT DISTINCT model_name FROM %s", SQL.identifier(self._table)))
        return frozenset(row[0] for row in self.env.cr.fetchall())

    @api.model
    @ormcache()
    def _watched_models(self):
        """The models whose written fields are remembered for rescans
        (``neiqin.dq.change``): those some rule scans, archived rules
        included, and those their rules read through links."""
        models_ = set(self._scanned_models())
        if not models_:
            return frozenset()
        # Read as the engine: every write of every user comes here, and the
        # answer is cached for all of them.
        rules = self.sudo().with_context(active_test=False).search([])
        for rule in rules.filtered(lambda r: r.model_name in self.env):
            try:
                models_.update((reads.linked_paths(rule) or {}).values())
            except (UserError, ValidationError, ValueError):
                # Called by every write: a rule its scan would refuse must
                # not stop them (its model is watched all the same).
                _logger.warning("Data-quality rule %s (%s) cannot be read", rule.name, rule.id)
        return frozenset(models_)

    def _scan_indexes_changed(self):
        """Rules were saved, these or others, or deleted: the indexes their
        scans need may have changed. Building an index in the request would
        block the writes on its table while it lasts (minutes on a large
        one): the scheduled action builds and drops them outside it
        (:meth:`_maintain_scan_indexes`); scans work without them, slower.

        While modules are installed or upgraded, the indexes of these rules
        are built at once, in the transaction: rules shipped as data have
        them from the start."""
        if not self.env.registry.ready:
            self._ensure_scan_index()
        cron = self.env.ref(scan_index.INDEX_CRON, raise_if_not_found=False)
        if cron:
            cron._trigger()

    def _scan_index_specs(self):
        """{name: ScanIndex} of the indexes these rules' scans read through
        (engine/scan_index.py)."""
        return scan_index.index_specs(self)

    def _ensure_scan_index(self):
        """Build now, in the current transaction, the indexes these rules
        need and lack: while modules are installed or upgraded (and in
        tests); elsewhere the scheduled action builds them
        (:meth:`_maintain_scan_indexes`)."""
        scan_index.ensure(self)

    @api.model
    def _cron_maintain_scan_indexes(self):
        """Scheduled action, triggered when rules are saved or deleted:
        build and drop the scan indexes without blocking writes."""
        return self._maintain_scan_indexes(concurrently=True)

    @api.model
    def _maintain_scan_indexes(self, concurrently=True):
        """Build the indexes the active rules need and lack, and drop those
        the engine built that no active rule needs any more (only those:
        see engine/scan_index.py).

        ``concurrently`` (the scheduled action): with ``CREATE`` and ``DROP
        INDEX CONCURRENTLY``, which block no write, on a connection of their
        own in autocommit mode, in a thread, which is returned. A concurrent
        build waits for every transaction of the database holding an older
        snapshot to end: this job's, and the cron runner's, which keeps the
        job's row locked until the job has returned. Waited for by the job,
        the build would wait for ever. Without ``concurrently`` (module
        upgrade, tests, which cannot see another cursor's work), in the
        current transaction; in test mode, always."""
        if concurrently and not self.env.registry.in_test_mode():
            thread = threading.Thread(
                target=scan_index.maintain_in_background,
                args=(self.env.registry,),
                name="neiqin data-quality scan indexes",
                daemon=True,
            )
            thread.start()
            return thread
        specs = scan_index.index_specs(self._rules_needing_indexes())
        scan_index.apply_plan(
            self.env, specs, scan_index.found_indexes(self.env.cr, specs), concurrently=False
        )
        return None

    @api.model
    def _rules_needing_indexes(self):
        # Every company's rules, whoever runs it: the indexes serve them all,
        # and only their index names are read from them.
        return self.sudo().search([])

    # ------------------------------------------------------------------ scan
    def _spec(self, field_names=None):
        """What the rule checks; its conditions are validated when it is
        saved (and by the scan buttons), not at each scan."""
        self.ensure_one()
        if field_names is None:
            field_names = tuple(self.field_ids.mapped("name"))
        return RuleSpec(
            rule_type=self.rule_type,
            field_names=field_names,
            pattern=self.pattern or "",
            min_value=self.min_value if self.has_min else None,
            max_value=self.max_value if self.has_max else None,
            domain=self._eval_domain(self._condition())
            if self.rule_type in ("domain", "reference")
            else [],
            scope=self._company_scope(self._eval_domain(self.scope_domain)),
            case_insensitive=self.case_insensitive,
        )

    def _condition(self):
        """The text of the rule's own condition: what makes a record wrong
        (type condition), what the linked record must match (type
        reference); none for the other types."""
        if self.rule_type == "domain":
            return self.bad_record_domain
        if self.rule_type == "reference":
            return self.linked_record_domain
        return False

    def _company_scope(self, scope):
        """``scope`` limited to the records of the rule's company (and those
        shared by every company), when it has one and its model has
        companies: scans run as the engine, over every company."""
        field = self.env[self.model_name]._fields.get("company_id")
        if not self.company_id or field is None or not field.store or field.type != "many2one":
            return scope
        return expression.AND([scope, [("company_id", "in", [False, self.company_id.id])]])

    def _specs(self):
        """{rule: RuleSpec}, evaluated once per scan."""
        names = self._field_names()
        return {rule: rule._spec(names.get(rule.id, ())) for rule in self}

    def _field_names(self):
        """{rule id: the names of its fields, in name order}, in one query.

        The ids come from the relation table, the names from the registry's
        cache of each model's fields: reading the many-to-many through the
        ORM joins the whole field table, as PostgreSQL keeps no statistics
        on a relation this small."""
        if not self:
            return {}
        field = self._fields["field_ids"]
        self.flush_model(["field_ids"])
        rows = self.env.execute_query(
            SQL(
                "SELECT %s, %s FROM %s WHERE %s = ANY(%s)",
                SQL.identifier(field.column1),
                SQL.identifier(field.column2),
                SQL.identifier(field.relation),
                SQL.identifier(field.column1),
                self.ids,
            )
        )
        Fields = self.env["ir.model.fields"]
        names = {}
        for model_name in set(self.mapped("model_name")):
            names.update((fid, name) for name, fid in Fields._get_ids(model_name).items())
        found = {}
        for rule_id, field_id in rows:
            if field_id not in names:  # a field of another model: read it as saved
                return {rule.id: tuple(rule.field_ids.mapped("name")) for rule in self}
            found.setdefault(rule_id, []).append(names[field_id])
        return {rule_id: tuple(sorted(fnames)) for rule_id, fnames in found.items()}

    def _find_bad(self, candidates, specs=None, few=False):
        """Return {rule: {id breaking it: its duplicate key's text, or None}}.

        ``candidates`` maps each rule to the ids it checks (None: its whole
        scope); ``few`` plans the checks for a few of a table's records
        (a rescan's changes). The rules compiled to SQL are checked together
        by one statement; module checks run their method once on all
        candidates.
        """
        specs = specs or self._specs()
        bad = {rule: {} for rule in self}
        parts = []
        in_scope = {}  # module checks sharing a scope and candidates search once
        for rule in self:
            ids = candidates[rule]
            if ids is not None and not ids:
                continue
            model = self.env[rule.model_name].with_context(active_test=False)
            spec = specs[rule]
            if rule.rule_type == "method":
                key = (rule.model_name, repr(spec.scope), id(ids))
                if key not in in_scope:
                    # In id order: the model's default order may join other tables.
                    in_scope[key] = model.search(candidate_domain(spec, ids), order="id")
                bad[rule] = dict.fromkeys(rule._run_method(in_scope[key]))
            elif rule.rule_type in DOMAIN_BUILDERS or rule.rule_type in SQL_TYPES:
                parts.append(
                    SQL(
                        "SELECT %s AS rule_id, b.id, %s FROM (%s) AS b",
                        rule.id,
                        SQL("b.key" if rule.rule_type == "duplicate" else "NULL::text"),
                        bad_ids_query(model, spec, few_ids(ids) if few and ids else ids),
                    )
                )
            else:
                raise UserError(self.env._("Unknown rule type %s.", rule.rule_type))
        if parts:
            self.env.flush_all()
            self.env.cr.execute(SQL(" UNION ALL ").join(parts))
            by_id = {rule.id: rule for rule in self}
            for rule_id, res_id, key in self.env.cr.fetchall():
                bad[by_id[rule_id]][res_id] = key
        return bad

    def _run_method(self, records):
        """The ids of ``records`` breaking this module check."""
        return set(getattr(records, self.method_name)(self).ids)

    def _scan(self, full=False, commit=False):
        """Scan each rule; return {rule: number of records checked}.

        The rules of one model are scanned together. A rule never scanned
        (or every rule, when ``full``) checks its whole scope with one query.
        The others check what changed since their last scan
        (:meth:`_scan_changes`): the records written since, or whose linked
        records were, and the open issues of those records, in scope or not;
        the other members of the duplicate groups they were in; every open
        issue of module checks that do not declare what they read.

        Nothing is remembered until the end: a scan that stops half-way is
        done again by the next one, which finds the issues already filed and
        files the rest.
        """
        # Scans run as the engine: what a rule finds, and which issues it
        # closes, must not depend on who runs it (record rules would hide
        # records and close their issues). A rule's company limits it.
        self = self.sudo()._with_scan_context()  # noqa: PLW0642
        whole = self.filtered(lambda rule: full or not rule.last_scan_at)
        specs = whole._specs()
        last_writes = {}
        if self - whole:
            # The fields written since the oldest look-back, for every model
            # at once; what this transaction wrote is remembered too.
            self.env.flush_all()
            last_writes = self.env["neiqin.dq.change"]._last_writes(changes.look_back(self - whole))
        result, done = {}, []
        for rules in self.grouped("model_name").values():
            counts, started, seconds = rules._scan_model(
                specs, whole & rules, last_writes, commit=commit
            )
            result.update(counts)
            done += [(rule.id, started, seconds, counts[rule], rule in whole) for rule in rules]
            if commit:
                self._record_scans(done)
                self.env.cr.commit()  # pylint: disable=invalid-commit
                done = []
        if done:
            self._record_scans(done)
        if whole:
            self.env["neiqin.dq.change"]._forget_old()
        return result

    def _with_scan_context(self):
        """These rules with the context of a check: the language, time zone
        and companies of the caller, and nothing else (a view's default_*
        or search_default_* keys would change what it checks or files)."""
        context = {key: self.env.context[key] for key in SCAN_CONTEXT if key in self.env.context}
        return self.with_context(context, active_test=False)

    def _record_scans(self, done):
        """Write what scans did: ``done`` is [(rule id, the clock of the
        scan of its model (engine/changes.py's ScanClock), seconds, records checked,
        whether it checked its whole scope)], the seconds those of the scan
        of the rule's model.

        One statement, not write(): a scan is not an edit of its rules. Their
        write date, which keys their compiled rescan (:meth:`_rescan_plan`),
        and the editor the form shows stay as the last edit left them; and
        the rules' bookkeeping is written whoever runs the scan."""
        names = [
            "last_scan_at",
            "rescan_from",
            "last_scan_seconds",
            "last_scan_checked",
            "last_full_scan_at",
        ]
        rules = self.browse([row[0] for row in done])
        rules.flush_recordset(names)
        rows = [
            (rule_id, clock.started, clock.rescan_from, seconds, checked, whole)
            for rule_id, clock, seconds, checked, whole in done
        ]
        self.env.cr.execute(
            SQL(
                """UPDATE neiqin_dq_rule r
                      SET last_scan_at = s.scanned_at,
                          rescan_from = s.rescan_from,
                          last_scan_seconds = s.seconds,
                          last_scan_checked = s.checked,
                          last_full_scan_at = CASE WHEN s.whole THEN s.scanned_at
                                                   ELSE r.last_full_scan_at END
                     FROM unnest(%s::int[], %s::timestamp[], %s::timestamp[], %s::float8[],
                                 %s::int[], %s::bool[])
                          AS s (id, scanned_at, rescan_from, seconds, checked, whole)
                    WHERE r.id = s.id""",
                *(list(column) for column in zip(*rows)),
            )
        )
        rules.invalidate_recordset(names)

    def _scan_model(self, specs, whole, last_writes, commit=False):
        """Scan the rules of one model, those of ``whole`` over their whole
        scope, the others by what changed (``last_writes``: see
        engine/changes.py's scan_changes); return ({rule: records checked},
        the scan's clock (engine/changes.py's scan_clock), the seconds the
        scan took)."""
        t0 = time.monotonic()
        model = self.env[self[:1].model_name]
        # First: the transactions it cannot see are those open now.
        clock = changes.scan_clock(self.env)
        changed = self - whole
        checked = dict.fromkeys(whole)
        bad = whole._find_bad(checked, specs)
        known = filing.known_issues(whole, SQL("TRUE")) if whole else {}
        counts, counted = {}, {}
        for rule in whole:
            key = repr(specs[rule].scope)
            if key not in counted:
                counted[key] = model.search_count(specs[rule].scope)
            counts[rule] = counted[key]
        if changed:
            found = changes.scan_changes(changed, model, last_writes)
            checked.update(found[0])
            bad.update(found[1])
            known.update(found[2])
            counts.update((rule, len(checked[rule])) for rule in changed)
        filing.file_findings(self.env, checked, bad, known, commit=commit)
        return counts, clock, time.monotonic() - t0

    def _computed_conditions(self):
        """Whether a condition of these rules uses placeholders (``uid``,
        ``context_today()``): it means something else at each scan, and
        what is compiled from it is not kept."""
        return not all(
            reads.literal(text)
            for rule in self
            for text in (rule.bad_record_domain, rule.linked_record_domain, rule.scope_domain)
        )

    def _rescan_reads(self):
        """{rule id: the (model, field) pairs it reads, or None}
        (engine/reads.py), kept while the rules are not edited, as
        :meth:`_rescan_plan` is."""
        if self._computed_conditions():
            return reads.build_reads(self)
        return self._cached_reads(tuple((rule.id, rule.write_date) for rule in self))

    @ormcache("key")
    def _cached_reads(self, key):
        return reads.build_reads(self)

    def _rescan_plan(self):
        """The compiled rescan of these rules (of one model), as
        engine/rescan.py's build_rescan_plan makes it, kept while the rules
        are not edited, for the same user, companies and language (a
        rescan's statement does not depend on the changes it finds, only on
        when they start). Rules whose conditions are computed compile at
        each scan."""
        if self._computed_conditions():
            return rescan.build_rescan_plan(self)
        context = self.env.context
        key = (
            tuple((rule.id, rule.write_date) for rule in self),
            self.env.uid,
            self.env.su,
            tuple(context.get(name) and repr(context[name]) for name in SCAN_CONTEXT),
        )
        return self._cached_rescan_plan(key)

    @ormcache("key")
    def _cached_rescan_plan(self, key):
        return rescan.build_rescan_plan(self)

    def _linked_paths(self, spec=None):
        """{path: model} of the records this rule reads through many-to-one
        links, or None when it cannot tell (engine/reads.py)."""
        return reads.linked_paths(self, spec)

    def _check_records(self, records):
        """Check ``records`` now against these rules; return their open
        issues. The check runs as the engine, as a scan does: the records are
        those of a document being reviewed, or of issues the caller may read."""
        rules = self.sudo()._with_scan_context()
        ids = set(records.ids)
        checked = dict.fromkeys(rules, ids)
        bad = rules._find_bad(checked)
        known = filing.known_issues(
            rules, SQL("i.res_id = ANY(%s)", list(ids.union(*bad.values())))
        )
        filing.file_findings(rules.env, checked, bad, known)
        return self.env["neiqin.dq.issue"].search(
            [("rule_id", "in", self.ids), ("res_id", "in", records.ids), ("state", "=", "open")]
        )

    # ------------------------------------------------------------------ actions
    def _check_lead(self):
        require_group(
            self.env,
            "neiqin_base.group_neiqin_lead",
            self.env._("Only a back-office lead can run data-quality scans."),
        )

    def action_run(self):
        """Button: scan the changes since the last scan now."""
        self._check_lead()
        self._check_configuration()
        self._scan()
        return self._notify_scan_done()

    def action_run_full(self):
        """Button: check every record in scope now."""
        self._check_lead()
        self._check_configuration()
        self._scan(full=True)
        return self._notify_scan_done()

    def _notify_scan_done(self):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(checked)s records checked, %(open)s open issues.",
                    checked=sum(self.mapped("last_scan_checked")),
                    open=sum(self.mapped("open_issue_count")),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_view_issues(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("neiqin_base.action_neiqin_dq_issue")
        action["domain"] = [("rule_id", "=", self.id)]
        action["context"] = {"search_default_filter_open": 1}
        return action

    def _full_scan_due(self):
        """Whether these rules' next scheduled scan checks every record:
        one of them was not fully scanned for a day."""
        return changes.full_scan_due(self, fields.Datetime.now())

    @api.model
    def _cron_scan(self):
        """Scan every active rule whose model is installed, the rules of one
        model together, committing as it files: what changed since the last
        scan, or everything once a day.

        When a model's scan fails, its rules are scanned one by one, so that
        one broken rule does not stop the others."""
        # Every rule of every company, whoever the scheduled action runs as.
        rules = self.sudo().search([]).filtered(lambda r: r.model_name in self.env)
        groups = list(rules.grouped("model_name").values())
        for index, group in enumerate(groups):
            full = group._full_scan_due()
            try:
                group._scan(full=full, commit=True)
            except Exception:
                self.env.cr.rollback()
                for rule in group:
                    try:
                        rule._scan(full=full, commit=True)
                    except Exception:
                        self.env.cr.rollback()
                        _logger.exception("Data-quality rule %s (%s) failed", rule.name, rule.id)
            self.env["ir.cron"]._notify_progress(done=index + 1, remaining=len(groups) - index - 1)
