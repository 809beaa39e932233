import logging
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from psycopg2 import DataError, Error, ProgrammingError

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, groupby, ormcache, split_every, sql

from ..engine import condition, scan_index
from ..engine.guard import require_group
from ..engine.rule_sql import (
    CONDITION_TYPES,
    DOMAIN_BUILDERS,
    DQ_READS,
    SQL_TYPES,
    RuleSpec,
    bad_condition,
    bad_ids_query,
    candidate_domain,
    duplicate_group,
    duplicate_index,
    few_ids,
    scope_condition,
)
from .neiqin_dq_change import CREATED

_logger = logging.getLogger(__name__)

METHOD_PREFIX = "_neiqin_dq_"
NUMERIC_TYPES = ("integer", "float", "monetary")
TEXT_TYPES = ("char", "text")
# Records written by a transaction that started before a scan but committed
# after it carry a write_date older than the scan (the start of their
# transaction): the next rescan looks back to the start of the oldest
# transaction open when the scan began (see NeiqinDqRule._scan_clock). Rules
# last scanned before that start was recorded look back this much before
# their last scan, as they did.
WATERMARK_MARGIN = timedelta(minutes=10)
# Less this: a transaction ending in the instant between the scan's snapshot
# and its reading of the open transactions is invisible to the scan and no
# longer listed. The scheduled scan reads them first thing in the
# transaction of each model's scan, so that instant is short, and what ends
# in it is most likely a request or a batch that began shortly before.
# (Write dates and transaction starts come from the same clock, the
# database's now(), to the microsecond: no margin is needed for them.)
RESCAN_MARGIN = timedelta(minutes=1)
# Where a transaction keeps the start of the oldest other one (see
# NeiqinDqRule._oldest_transaction_start).
OLDEST_OPEN = "neiqin.dq.oldest_open"
# The scheduled scan checks everything again this often.
FULL_SCAN_EVERY = timedelta(days=1)
# Rule fields that decide which indexes a scan needs.
INDEX_FIELDS = {"model_id", "rule_type", "field_ids", "case_insensitive", "domain", "scope_domain"}
# The scheduled action building and dropping them (_maintain_scan_indexes).
INDEX_CRON = "neiqin_base.ir_cron_neiqin_dq_scan_indexes"
# The index a concurrent build of the engine is making: if the build stops
# before it is tagged (its worker gone), the next run knows it is the
# engine's.
INDEX_BUILDING = "neiqin_base.dq_scan_index_building"
# The session lock of a concurrent maintenance: one at a time.
INDEX_LOCK = 7013557212001
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True}
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


class _Since:
    """Stands, in a compiled rescan's parameters, for the time the rescan
    looks back to; given at each scan (PostgreSQL cannot adapt it: a
    statement run without it fails instead of reading everything)."""

    __slots__ = ()

    def __repr__(self):
        return "<since>"


SINCE = _Since()


@dataclass(frozen=True)
class ScanClock:
    """When the scan of a model started, by the transaction's clock (as
    write_date uses it), and from when the next rescan of its rules reads
    changes (NeiqinDqRule._scan_clock)."""

    started: datetime
    rescan_from: datetime


@dataclass(frozen=True)
class RescanPlan:
    """A compiled rescan (NeiqinDqRule._build_rescan_plan): the statement,
    where the look-back time goes in its parameters, and where each rule's
    answer is in its rows (columns counted from the id, at 0)."""

    code: str
    params: tuple
    since_at: tuple  # indexes of SINCE in params
    scopes: tuple  # the scope columns
    scope_of: dict  # {rule id: its scope column}
    conditions: tuple  # (rule id, column true when the record breaks it)
    duplicates: tuple  # (rule id, column of the group's ids; the key follows)
    issues: int  # first of the 4 columns of an issue of the record (rule, id, state, key)
    prefetch: tuple  # (field name, column) of what module checks read
    every_open: tuple  # rules rechecking every open issue
    methods: tuple  # module checks declaring what they read


def _rereads(rule, reads, written):
    """Whether ``rule``, reading the (model, field) pairs ``reads`` (None:
    unknown), has changed records to recheck, given the fields ``written``
    since its last scan ({model: fields}, ``*`` for records created; None:
    unknown)."""
    if written is None or reads is None or CREATED in written.get(rule.model_name, ()):
        return True
    # A new linked record changes no verdict until a record links to it,
    # which writes the link.
    return any(name in written.get(model_name, ()) for model_name, name in reads)


def _literal(text):
    """Whether a condition uses no placeholder (``uid``, ``today``...): it
    means the same at every scan."""
    return not condition.has_placeholders(text)


def _is_leaf(leaf):
    return expression.is_leaf(leaf) and leaf not in (expression.TRUE_LEAF, expression.FALSE_LEAF)


def _names_linked_record(operator, value):
    """Whether a condition on a many-to-one field reads the linked record
    (its name: ``('country_id', 'ilike', 'chin')``), not only the link."""
    values = value if isinstance(value, list | tuple) else [value]
    return operator in expression.WILDCARD_OPERATORS or any(isinstance(v, str) for v in values)


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
    domain = fields.Char(
        string="Condition",
        help="Condition: records matching it are wrong. "
        "Reference: the linked record must match it.",
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
        "it starts with _neiqin_dq_.",
    )
    threshold = fields.Float(
        string="Parameter",
        help="A number the module check reads, as its description says: hours, percent, amount.",
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
        "domain",
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
            self._eval_domain(self.domain, comodel)
        elif self.rule_type == "domain":
            if not self._eval_domain(self.domain, model):
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
        self._eval_domain(self.scope_domain, model)

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
        if not sql.table_exists(self.env.cr, self._table):
            return frozenset()  # while the module is being installed or removed
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
                models_.update((rule._linked_paths() or {}).values())
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
        cron = self.env.ref(INDEX_CRON, raise_if_not_found=False)
        if cron:
            cron._trigger()

    def _scan_index_specs(self):
        """{name: ScanIndex} of the indexes these rules' scans read through:
        on ``write_date`` of each scanned model's table and of the tables of
        the records its rules read through links, and on each link column,
        so that an incremental scan reads the records changed since the
        last one, and those linked to them, instead of the whole tables; on
        each duplicate key, so that rechecking a few records reads only
        their groups."""
        specs = {}
        model_names = set(self.mapped("model_name"))
        link_columns = set()  # (model, many2one field) a rescan follows backwards
        for rule in self.filtered(lambda r: r.model_name in self.env):
            try:
                # Linked records too: a rescan looks for those written since,
                # then for the records linking to them.
                links = rule._linked_paths() or {}
                if rule.rule_type == "duplicate" and rule.field_ids:
                    index = duplicate_index(self.env[rule.model_name], rule._spec())
                    if index and self.env[rule.model_name]._auto:
                        name, method, expressions = index
                        table = self.env[rule.model_name]._table
                        specs[name] = scan_index.ScanIndex(table, tuple(expressions), method)
            except (UserError, ValidationError, ValueError):
                # A rule its scan would refuse: the others get their indexes.
                _logger.warning("Data-quality rule %s (%s) cannot be read", rule.name, rule.id)
                continue
            model_names.update(links.values())
            for path in links:
                owner, __, name = path.rpartition(".")
                link_columns.add((links[owner] if owner else rule.model_name, name))
        for model_name in model_names:
            model = self.env.get(model_name)
            if model is None or not model._auto or not model._log_access:
                continue
            name = sql.make_index_name(model._table, "neiqin_write_date")
            specs[name] = scan_index.ScanIndex(model._table, ('"write_date"',))
        for model_name, name in sorted(link_columns):
            model = self.env[model_name]
            field = model._fields[name]
            if not model._auto or field.index or not field.column_type:
                continue
            index_name = sql.make_index_name(model._table, f"neiqin_{name}")
            specs[index_name] = scan_index.ScanIndex(model._table, (f'"{name}"',))
        return specs

    def _ensure_scan_index(self):
        """Build now, in the current transaction, the indexes these rules
        need and lack, tagged as the engine's: while modules are installed
        or upgraded (and in tests). ``CREATE INDEX`` blocks the writes on
        its table while it builds; elsewhere the scheduled action builds
        them (:meth:`_maintain_scan_indexes`)."""
        specs = self._scan_index_specs()
        found = scan_index.found_indexes(self.env.cr, specs)
        # Only these rules' indexes: the others' are the scheduled action's.
        found = {name: there for name, there in found.items() if name in specs}
        self._apply_scan_index_plan(specs, found, concurrently=False)

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
                target=_maintain_in_background,
                args=(self.env.registry,),
                name="neiqin data-quality scan indexes",
                daemon=True,
            )
            thread.start()
            return thread
        specs = self._rules_needing_indexes()._scan_index_specs()
        self._apply_scan_index_plan(
            specs, scan_index.found_indexes(self.env.cr, specs), concurrently=False
        )
        return None

    @api.model
    def _rules_needing_indexes(self):
        # Every company's rules, whoever runs it: the indexes serve them all,
        # and only their index names are read from them.
        return self.sudo().search([])

    @api.model
    def _apply_scan_index_plan(self, specs, found, concurrently):
        """Build the indexes of ``specs`` ({name: ScanIndex}) missing from
        ``found`` (scan_index.found_indexes) and drop the tagged ones not in
        ``specs``, on this environment's cursor (in autocommit mode when
        ``concurrently``)."""
        drop, build = scan_index.plan(specs, found)
        for name in drop:
            if self._run_index_ddl(scan_index.drop_sql(name, concurrently), concurrently):
                _logger.info("Data-quality scan index %s dropped", name)
        for name in build:
            if concurrently:
                self._note_index_building(name)
            statement = scan_index.create_sql(name, specs[name], concurrently)
            if self._run_index_ddl(statement, concurrently):
                self.env.cr.execute(scan_index.tag_sql(name))
                _logger.info("Data-quality scan index %s built", name)
            elif concurrently:
                # A failed concurrent build leaves an invalid index behind.
                self._run_index_ddl(scan_index.drop_sql(name, concurrently), concurrently)
        if concurrently and build:
            self._note_index_building(False)

    @api.model
    def _run_index_ddl(self, statement, concurrently):
        """Run ``statement``; return whether it succeeded. In a transaction,
        an error is raised; in autocommit mode, logged, and the maintenance
        goes on with the other indexes (it is tried again at the next run)."""
        try:
            self.env.cr.execute(statement, log_exceptions=not concurrently)
        except Error:
            if not concurrently:
                raise
            _logger.exception("Data-quality scan indexes: %s failed", statement.code)
            return False
        return True

    @api.model
    def _note_index_building(self, name):
        """Remember (committed at once, in autocommit mode) the index a
        concurrent build is making, or that none is (``False``)."""
        self.env["ir.config_parameter"].sudo().set_param(INDEX_BUILDING, name)
        self.env.flush_all()

    @api.model
    def _found_scan_indexes(self, specs):
        """The indexes found under the names of ``specs`` or tagged
        (scan_index.found_indexes), once the index a concurrent build of
        the engine made but did not tag, its worker gone in between, is
        tagged (PostgreSQL finishes a build whose client has left)."""
        param = self.env["ir.config_parameter"].sudo().search([("key", "=", INDEX_BUILDING)])
        stopped = param.value
        found = scan_index.found_indexes(self.env.cr, [*specs, *([stopped] if stopped else [])])
        there = found.get(stopped)
        if there and there.is_index and not there.tagged:
            self.env.cr.execute(scan_index.tag_sql(stopped))
            found[stopped] = scan_index.FoundIndex(there.table, True, there.valid, True)
        if param:
            self._note_index_building(False)
        return found

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
            domain=self._eval_domain(self.domain)
            if self.rule_type in ("domain", "reference")
            else [],
            scope=self._company_scope(self._eval_domain(self.scope_domain)),
            case_insensitive=self.case_insensitive,
        )

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

    def _known_issues(self, *conditions):
        """Return {rule id: {res_id: (issue id, state, duplicate key)}}: the
        latest issue of these rules for each record matching one of
        ``conditions`` (SQL on the issue ``i``), each read by a select of its
        own, so that each uses its index.

        Read in SQL: this is the engine's own bookkeeping, which must see
        every issue of its rules whoever runs the scan; record rules on
        issues would otherwise make it file a second issue for a record."""
        self.env["neiqin.dq.issue"].flush_model(["rule_id", "res_id", "state", "duplicate_key"])
        self.env.cr.execute(
            SQL(
                "%s ORDER BY 3",
                SQL(" UNION ").join(
                    SQL(
                        """SELECT i.rule_id, i.res_id, i.id, i.state, i.duplicate_key
                             FROM neiqin_dq_issue i
                            WHERE i.rule_id = ANY(%s) AND (%s)""",
                        self.ids,
                        condition,
                    )
                    for condition in conditions
                ),
            )
        )
        known = {rule_id: {} for rule_id in self.ids}
        for rule_id, res_id, issue_id, state, key in self.env.cr.fetchall():
            known[rule_id][res_id] = (issue_id, state, key)
        return known

    def _batch_size(self):
        return int(
            self.env["ir.config_parameter"].sudo().get_param("neiqin_base.dq_batch_size", 20000)
        )

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
            last_writes = self.env["neiqin.dq.change"]._last_writes((self - whole)._look_back())
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

    def _look_back(self):
        """How far back these rules' rescans look: to the earliest time
        their last scans recorded (:meth:`_scan_clock`); for a rule last
        scanned before that time was recorded, to its last scan less the
        fixed margin it used."""
        return min(rule.rescan_from or rule.last_scan_at - WATERMARK_MARGIN for rule in self)

    def _scan_clock(self):
        """The clock of a scan starting now (a :class:`ScanClock`): the
        transaction's time, as write_date uses it, and from when the next
        rescan must read changes.

        That is the start of the oldest transaction still open on this
        database, if older: it may commit after this scan took its snapshot,
        and what it writes is dated from its start (write_date is the
        transaction's now()). Less RESCAN_MARGIN. Not more than a day back:
        a session left open for days would otherwise make every rescan read
        days of changes, and the daily full scan sees what it writes.

        Only sessions of Odoo's database role show their start (others'
        too if the role may read all statistics): other roles write in
        plain SQL, which rescans do not see anyway."""
        started = self.env.cr.now().replace(tzinfo=None)
        oldest = self._oldest_transaction_start() or started
        rescan_from = min(started, oldest) - RESCAN_MARGIN
        return ScanClock(started, max(rescan_from, started - FULL_SCAN_EVERY))

    def _oldest_transaction_start(self):
        """The start of the oldest transaction of the other sessions on this
        database, or None. Read once per transaction: PostgreSQL shows the
        same activity for the rest of it (and precommit data lives no
        longer). Through the function behind pg_stat_activity, which spares
        the view's joins: a rescan with little to do takes milliseconds."""
        data = self.env.cr.precommit.data
        if OLDEST_OPEN not in data:
            self.env.cr.execute(
                SQL(
                    """SELECT min(xact_start) AT TIME ZONE 'UTC'
                         FROM pg_stat_get_activity(NULL)
                        WHERE datid = (SELECT oid FROM pg_database
                                        WHERE datname = current_database())
                          AND pid != pg_backend_pid() AND backend_type = 'client backend'"""
                )
            )
            data[OLDEST_OPEN] = self.env.cr.fetchone()[0]
        return data[OLDEST_OPEN]

    def _with_scan_context(self):
        """These rules with the context of a check: the language, time zone
        and companies of the caller, and nothing else (a view's default_*
        or search_default_* keys would change what it checks or files)."""
        context = {key: self.env.context[key] for key in SCAN_CONTEXT if key in self.env.context}
        return self.with_context(context, active_test=False)

    def _record_scans(self, done):
        """Write what scans did: ``done`` is [(rule id, the clock of the
        scan of its model (:class:`ScanClock`), seconds, records checked,
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
        :meth:`_scan_changes`); return ({rule: records checked}, the
        scan's clock (:meth:`_scan_clock`), the seconds the scan took)."""
        t0 = time.monotonic()
        model = self.env[self[:1].model_name]
        # First: the transactions it cannot see are those open now.
        clock = self._scan_clock()
        changed = self - whole
        checked = dict.fromkeys(whole)
        bad = whole._find_bad(checked, specs)
        known = whole._known_issues(SQL("TRUE")) if whole else {}
        counts, counted = {}, {}
        for rule in whole:
            key = repr(specs[rule].scope)
            if key not in counted:
                counted[key] = model.search_count(specs[rule].scope)
            counts[rule] = counted[key]
        if changed:
            found = changed._scan_changes(model, last_writes)
            checked.update(found[0])
            bad.update(found[1])
            known.update(found[2])
            counts.update((rule, len(checked[rule])) for rule in changed)
        self._file_findings(checked, bad, known, commit=commit)
        return counts, clock, time.monotonic() - t0

    def _scan_changes(self, model, last_writes):
        """Check the records of one model changed since these rules' last
        scan, and the open issues to recheck, against the rules that read a
        field written since (or every rule, for records created, and rules
        whose reads are not known); return (checked, bad, known).

        Which fields were written is remembered per model and transaction
        (``neiqin.dq.change``; ``last_writes`` as its ``_last_writes`` gives
        it): a rule reading none of them has nothing to recheck. Writes in
        plain SQL are seen by the daily full scan."""
        written = self.env["neiqin.dq.change"]._written_since(last_writes, self._look_back())
        reads = self._rescan_reads()
        needed = self.filtered(lambda rule: _rereads(rule, reads[rule.id], written))
        checked, bad, known = needed._recheck_changes(model) if needed else ({}, {}, {})
        for rule in self - needed:
            checked[rule], bad[rule], known[rule.id] = set(), {}, {}
        return checked, bad, known

    def _rescan_reads(self):
        """{rule id: the (model, field) pairs it reads, or None}, kept while
        the rules are not edited, as :meth:`_rescan_plan` is."""
        if not all(_literal(text) for rule in self for text in (rule.domain, rule.scope_domain)):
            return self._build_reads()
        return self._cached_reads(tuple((rule.id, rule.write_date) for rule in self))

    @ormcache("key")
    def _cached_reads(self, key):
        return self._build_reads()

    def _build_reads(self):
        specs = self._specs()
        reads = {rule.id: rule._reads(specs[rule]) for rule in self}
        return {rule_id: found and found[1] for rule_id, found in reads.items()}

    def _recheck_changes(self, model):
        """Check the records of one model changed since these rules' last
        scan, and the open issues to recheck; return (checked, bad, known).

        The cost follows the number of changes. One statement finds the
        records written since, or whose linked records were (answered by
        write_date and link indexes), and checks them against every rule
        that compiles to a condition, each record looked up once with its
        linked records (:meth:`_build_rescan_plan`). Their issues are read
        by record. Duplicate keys check the groups of the changed records,
        those they joined and those they left (found by the key the issues
        keep). Module checks that do not declare what they read also check
        every open issue again."""
        since = self._look_back()
        plan = self._rescan_plan()
        self.env.flush_all()  # the linked records' write dates too
        params = list(plan.params)
        for index in plan.since_at:
            params[index] = since
        self.env.cr.execute(plan.code, params)
        rows, known = {}, {rule_id: {} for rule_id in self.ids}
        for row in self.env.cr.fetchall():
            # A row per issue of the record (or one, without issues).
            rows.setdefault(row[0], row)
            rule_id, issue_id, state, key = row[plan.issues : plan.issues + 4]
            if rule_id in known:
                latest = known[rule_id].get(row[0])
                if latest is None or latest[0] < issue_id:
                    known[rule_id][row[0]] = (issue_id, state, key)
        rows = list(rows.values())
        touched = {row[0] for row in rows}
        by_id = {rule.id: rule for rule in self}
        if plan.prefetch and rows:
            # The fields module checks declare they read, put in the cache
            # as the ORM does: the checks do not read the records again.
            records = model.browse([row[0] for row in rows])
            for name, column in plan.prefetch:
                self.env.cache.insert_missing(
                    records, model._fields[name], [row[column] for row in rows]
                )
        in_scope = {column: {row[0] for row in rows if row[column]} for column in plan.scopes}
        in_scope = {rule: in_scope[plan.scope_of[rule.id]] for rule in self}
        bad = {}
        for rule_id, column in plan.conditions:
            bad[by_id[rule_id]] = {row[0]: None for row in rows if row[column]}
        dups = self.browse([rule_id for rule_id, __ in plan.duplicates])
        for rule_id, column in plan.duplicates:
            # Every member of a changed record's group, under its key.
            bad[by_id[rule_id]] = {
                member: row[column + 1] for row in rows if row[column] for member in row[column]
            }
        # Open issues of records not changed: those of module checks that
        # do not declare what they read, and the other members of the
        # duplicate groups the changed records left, found by the key their
        # issues keep (issues filed before issues kept keys get theirs from
        # the daily full scan). A record still in the group of its issue's
        # key has brought every member of that group along. Deleting a
        # record closes its issues (models/base.py).
        left = {
            key
            for rule in dups
            for res_id, (__, __, key) in known[rule.id].items()
            if key is not None and bad[rule].get(res_id) != key
        }
        wanted = []
        if plan.every_open:
            wanted.append(SQL("(i.state = 'open' AND i.rule_id = ANY(%s))", list(plan.every_open)))
        if left:
            wanted.append(
                SQL(
                    "(i.state = 'open' AND i.rule_id = ANY(%s) AND i.duplicate_key = ANY(%s))",
                    dups.ids,
                    sorted(left),
                )
            )
        if wanted:
            for rule_id, issues in self._known_issues(*wanted).items():
                known[rule_id].update(issues)
        checked = {
            rule: in_scope[rule]
            | {res_id for res_id, (__, state, __) in known[rule.id].items() if state == "open"}
            for rule in self
        }
        for rule in self.browse(plan.methods):
            # A module check declaring what it reads: the changed records in
            # its scope are all it checks.
            records = model.browse(sorted(in_scope[rule]))
            bad[rule] = dict.fromkeys(rule._run_method(records) if records else ())
        # The records of the other open issues, by the rules' own checks.
        others = {rule: checked[rule] - touched for rule in dups}
        others.update((rule, checked[rule]) for rule in self.browse(plan.every_open))
        others = {rule: ids for rule, ids in others.items() if ids}
        if others:
            rechecked = self.browse([rule.id for rule in others])
            for rule, found in rechecked._find_bad(others, few=True).items():
                bad[rule] = {**found, **bad[rule]} if rule in dups else found
        for rule in self:
            bad.setdefault(rule, {})
        # A duplicate key flags the other members of a group too.
        extra = {rule: bad[rule].keys() - checked[rule] - known[rule.id].keys() for rule in self}
        if any(extra.values()):
            more = self.filtered(lambda rule: extra[rule])._known_issues(
                SQL("i.res_id = ANY(%s)", list(set().union(*extra.values())))
            )
            for rule_id, issues in more.items():
                known[rule_id].update(issues)
        return checked, bad, known

    def _rescan_plan(self):
        """The compiled rescan of these rules (of one model), as
        :meth:`_build_rescan_plan` makes it, kept while the rules are not
        edited, for the same user, companies and language (a rescan's
        statement does not depend on the changes it finds, only on when
        they start). Rules whose conditions are computed (``uid``,
        ``context_today()``) compile at each scan."""
        if not all(_literal(text) for rule in self for text in (rule.domain, rule.scope_domain)):
            return self._build_rescan_plan()
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
        return self._build_rescan_plan()

    def _build_rescan_plan(self):
        """Compile the rescan statement of these rules (of one model): one
        row per record changed since a time given at each scan, with a
        column per scope, per rule read as a condition, two per duplicate
        key (the record's group, its key), the record's issues of these
        rules, and the fields of the record that module checks declare
        they read. Plain data: it outlives the transaction."""
        model = self.env[self[:1].model_name]
        specs = self._specs()
        links, every_open = {}, []
        for rule in self:
            rule_links = rule._linked_paths(specs[rule])
            if rule_links is None:
                every_open.append(rule.id)
            links.update(rule_links or {})
        since = SQL("%s", SINCE)
        query = model._search(self._changes_domain(model, links, since))
        # A row is the record's id, then the columns (row[n] is columns[n - 1]).
        columns, scopes, scope_of = [], {}, {}
        for rule in self:
            key = repr(specs[rule].scope)
            if key not in scopes:  # one column per scope
                columns.append(scope_condition(model, specs[rule], query))
                scopes[key] = len(columns)
            scope_of[rule.id] = scopes[key]
        conditions = []
        for rule in self.filtered(lambda r: r.rule_type in CONDITION_TYPES):
            columns.append(bad_condition(model, specs[rule], query))
            conditions.append((rule.id, len(columns)))
        duplicates = []
        for rule in self.filtered(lambda r: r.rule_type == "duplicate"):
            duplicates.append((rule.id, len(columns) + 1))
            columns += duplicate_group(model, specs[rule], query)
        # The issues of each record, in scope or not (a record leaving the
        # scope closes its issue), looked up by record: a row per issue,
        # those of other rules left out when read. (A join: a subquery per
        # record costs twice as much. Joined on the record only: given the
        # rules too, PostgreSQL may read all their issues for each record.)
        query.add_join(
            "LEFT JOIN",
            "neiqin_issue",
            "neiqin_dq_issue",
            SQL(
                "%s = %s",
                SQL.identifier("neiqin_issue", "res_id"),
                SQL.identifier(query.table, "id"),
            ),
        )
        issues = len(columns) + 1
        columns += [
            SQL.identifier("neiqin_issue", name)
            for name in ("rule_id", "id", "state", "duplicate_key")
        ]
        methods = self.filtered(lambda r: r.rule_type == "method" and r.id not in every_open)
        prefetch = []
        for name in sorted({name for rule in methods for name in rule._method_reads()}):
            field = model._fields.get(name)
            if field is not None and field.store and field.column_type:
                columns.append(model._field_to_sql(query.table, name, query, flush=False))
                prefetch.append((name, len(columns)))
        statement = query.select(SQL.identifier(query.table, "id"), *columns)
        return RescanPlan(
            code=statement.code,
            params=tuple(statement.params),
            since_at=tuple(i for i, param in enumerate(statement.params) if param is SINCE),
            scopes=tuple(scopes.values()),
            scope_of=scope_of,
            conditions=tuple(conditions),
            duplicates=tuple(duplicates),
            issues=issues,
            prefetch=tuple(prefetch),
            every_open=tuple(every_open),
            methods=tuple(methods.ids),
        )

    @api.model
    def _changes_domain(self, model, links, since):
        """The domain of the records of ``model`` written since ``since``, or
        whose records linked through ``links`` ({path: model}, as
        :meth:`_linked_paths` gives them) were.

        The records written since are read through the write_date index,
        each of their pages once. Those reached through links are selected
        by a union of one select per link, from the innermost outwards, each
        answered by the write_date index of the linked table and the index
        of the link column (an OR of the conditions, or a join, would read
        the whole tables); their ids are given as an InitPlan array, so that
        the checks are planned for a few records, each looked up with its
        linked records (see few_ids)."""
        tree = {}
        for path in links:
            node = tree
            for name in path.split("."):
                node = node.setdefault(name, {})
        domain = [("write_date", ">=", since)]
        linked = [
            model._search(
                [(name, "in", SQL("(%s)", self._changed_ids(model, name, subtree, since)))]
            )
            for name, subtree in sorted(tree.items())
        ]
        if linked:
            ids = SQL(" UNION ALL ").join(
                query.select(SQL.identifier(query.table, "id")) for query in linked
            )
            domain = expression.OR([domain, [("id", "=", SQL("ANY(ARRAY(%s))", ids))]])
        return domain

    def _changed_ids(self, model, name, tree, since):
        """SQL selecting the ids of the records ``model.name`` links to that
        were written since ``since``, or whose own links in ``tree`` were."""
        model = self.env[model._fields[name].comodel_name].with_context(active_test=False)
        queries = [model._search([("write_date", ">=", since)])]
        for inner, subtree in sorted(tree.items()):
            ids = self._changed_ids(model, inner, subtree, since)
            queries.append(model._search([(inner, "in", SQL("(%s)", ids))]))
        return SQL(" UNION ALL ").join(
            query.select(SQL.identifier(query.table, "id")) for query in queries
        )

    def _linked_paths(self, spec=None):
        """{path: model} of the records a rule reads through many-to-one
        links (of its condition, its scope, its reference, or the paths its
        module check declares with ``dq_reads``), or None when it reads
        other records in ways no write date tells: module checks declaring
        nothing, to-many, non-stored or hierarchical conditions. (A
        duplicate key reads the other members of its group: a rescan finds
        them by the key their issues keep.)"""
        reads = self._reads(spec)
        return reads and reads[0]

    def _reads(self, spec=None):
        """({path: model} as :meth:`_linked_paths` gives it, the (model,
        field) pairs the rule reads), or None when it cannot tell."""
        self.ensure_one()
        model = self.env[self.model_name]
        spec = spec or self._spec()
        leaves = []  # (path, operator, value) of every leaf the rule reads
        if self.rule_type == "method":
            reads = self._method_reads()
            if reads is None:
                return None
            leaves += [(path, "=", False) for path in reads]
        for domain in [spec.scope] + ([spec.domain] if self.rule_type == "domain" else []):
            leaves += [leaf for leaf in domain if _is_leaf(leaf)]
        if self.rule_type == "reference":
            fname = spec.field_names[0]
            leaves.append((f"{fname}.id", "=", False))
            if "active" in self.env[model._fields[fname].comodel_name]._fields:
                leaves.append((f"{fname}.active", "=", False))
            leaves += [
                (f"{fname}.{leaf[0]}", leaf[1], leaf[2]) for leaf in spec.domain if _is_leaf(leaf)
            ]
        if any(op in ("child_of", "parent_of", "any", "not any") for __, op, __ in leaves):
            return None
        links = {}
        read = {(model._name, name) for name in spec.field_names}
        for path, operator, value in leaves:
            names = str(path).split(".")
            current = model
            for index, name in enumerate(names):
                field = current._fields.get(name)
                if field is None or not (field.store or name == "id"):
                    return None
                if field.type in ("one2many", "many2many"):
                    return None
                read.add((current._name, name))
                if field.type == "many2one" and (
                    index < len(names) - 1 or _names_linked_record(operator, value)
                ):
                    # A hop, or a link compared with the linked record's name.
                    current = self.env[field.comodel_name]
                    if not current._log_access:
                        return None
                    links[".".join(names[: index + 1])] = current._name
                    if index == len(names) - 1:
                        read.add((current._name, current._rec_name or "name"))
                elif index < len(names) - 1:
                    return None
        return links, frozenset(read)

    def _method_reads(self):
        """The paths a module check declares it reads (``dq_reads``), or None."""
        self.ensure_one()
        method = getattr(self.env[self.model_name], self.method_name or "", None)
        return getattr(method, DQ_READS, None)

    def _check_records(self, records):
        """Check ``records`` now against these rules; return their open
        issues. The check runs as the engine, as a scan does: the records are
        those of a document being reviewed, or of issues the caller may read."""
        rules = self.sudo()._with_scan_context()
        ids = set(records.ids)
        checked = dict.fromkeys(rules, ids)
        bad = rules._find_bad(checked)
        known = rules._known_issues(SQL("i.res_id = ANY(%s)", list(ids.union(*bad.values()))))
        rules._file_findings(checked, bad, known)
        return self.env["neiqin.dq.issue"].search(
            [("rule_id", "in", self.ids), ("res_id", "in", records.ids), ("state", "=", "open")]
        )

    def _file_findings(self, checked, bad, known, commit=False):
        """Open, reopen and close issues after a check, for every rule at once.
        Called on the rules as the engine (``_scan``, ``_check_records`` run
        as superuser): issues are the engine's records, their findings are
        refused to users (``neiqin.dq.issue``).

        ``checked``: {rule: ids checked, or None for the whole scope};
        ``bad``: {rule: ids breaking it}; ``known``: the rules' issues as
        :meth:`_known_issues` returns them, for every checked and bad id.
        With ``commit``, the writes are committed by batches of the
        configured size."""
        close, reopen, new, rekey = [], [], [], []
        for rule, ids in checked.items():
            rule_bad = bad[rule]
            rule_known = known.get(rule.id, {})
            for res_id, (issue_id, state, key) in rule_known.items():
                if ids is not None and res_id not in ids and res_id not in rule_bad:
                    continue
                if state == "open" and res_id not in rule_bad:
                    close.append(issue_id)
                elif state == "closed" and res_id in rule_bad:
                    reopen.append(issue_id)
                if res_id in rule_bad and rule_bad[res_id] != key:
                    rekey.append((issue_id, rule_bad[res_id]))
            new.extend(
                (rule, res_id, rule_bad[res_id])
                for res_id in sorted(rule_bad)
                if res_id not in rule_known
            )
        Issue = self.env["neiqin.dq.issue"].with_context(**QUIET)
        now = fields.Datetime.now()
        size = self._batch_size()
        for ids in split_every(size, close):
            Issue.browse(ids).write({"state": "closed", "closed_at": now})
            self._commit_batch(commit)
        for ids in split_every(size, reopen):
            issues = Issue.browse(ids)
            issues.write({"state": "open", "closed_at": False, "last_reopened_at": now})
            issues.flush_recordset()
            self.env.cr.execute(
                SQL(
                    "UPDATE neiqin_dq_issue SET reopen_count = reopen_count + 1 WHERE id = ANY(%s)",
                    list(ids),
                )
            )
            issues.invalidate_recordset(["reopen_count"])
            self._commit_batch(commit)
        for found in split_every(size, new):
            Issue.create(self._issue_vals(found, now))
            self._commit_batch(commit)
        if rekey:
            # A record that moved to another duplicate group: its issue
            # follows it, so that a later rescan finds the group it left.
            Issue.flush_model(["duplicate_key"])
            self.env.cr.execute(
                SQL(
                    """UPDATE neiqin_dq_issue i SET duplicate_key = k.key
                         FROM unnest(%s::int[], %s::varchar[]) AS k (id, key)
                        WHERE i.id = k.id""",
                    [issue_id for issue_id, __ in rekey],
                    [key for __, key in rekey],
                )
            )
            Issue.invalidate_model(["duplicate_key"])
            self._commit_batch(commit)

    def _commit_batch(self, commit):
        if commit:
            # The cron's batches: what is filed stays filed if the scan stops.
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _issue_vals(self, found, now):
        """Values of new issues for (rule, res_id, duplicate key) triples."""
        records = {}
        for model_name, triples in groupby(found, key=lambda triple: triple[0].model_name):
            model = self.env[model_name].with_context(active_test=False)
            records[model_name] = {
                record.id: record for record in model.browse({triple[1] for triple in triples})
            }
        vals = []
        for rule, res_id, key in found:
            record = records[rule.model_name][res_id]
            has_company = "company_id" in record._fields
            vals.append(
                {
                    "rule_id": rule.id,
                    "res_model": rule.model_name,
                    "res_id": res_id,
                    "res_name": record.display_name,
                    "company_id": (record.company_id.id if has_company else False)
                    or rule.company_id.id,
                    "message": rule.message or rule.name,
                    "duplicate_key": key,
                    "found_at": now,
                    # Stored computed values given here are not recomputed
                    # by a second statement after the insert.
                    **self.env["neiqin.dq.issue"]._sequences("open", rule.severity),
                    "severity": rule.severity,
                    "owner_user_id": rule.owner_user_id.id,
                    "owner_team_id": rule.owner_team_id.id,
                }
            )
        return vals

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
        limit = fields.Datetime.now() - FULL_SCAN_EVERY
        return any(not rule.last_full_scan_at or rule.last_full_scan_at < limit for rule in self)

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


def _maintain_in_background(registry):
    """The concurrent maintenance of the scan indexes (see
    NeiqinDqRule._maintain_scan_indexes), on connections of its own: one
    reads the rules, then ends its transaction, so that the builds do not
    wait for it; the other, in autocommit mode, holds the session lock
    that keeps two maintenances from running together, and builds."""
    threading.current_thread().dbname = registry.db_name
    try:
        with registry.cursor() as cr:
            cr.connection.autocommit = True
            try:
                cr.execute(SQL("SELECT pg_try_advisory_lock(%s)", INDEX_LOCK))
                if not cr.fetchone()[0]:
                    _logger.info("Data-quality scan indexes: another maintenance runs")
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    env.ref(INDEX_CRON)._trigger(fields.Datetime.now() + timedelta(minutes=5))
                    env.flush_all()
                    return
                try:
                    with registry.cursor() as read_cr:
                        rules = api.Environment(read_cr, SUPERUSER_ID, {})["neiqin.dq.rule"]
                        specs = rules._rules_needing_indexes()._scan_index_specs()
                    Rule = api.Environment(cr, SUPERUSER_ID, {})["neiqin.dq.rule"]
                    found = Rule._found_scan_indexes(specs)
                    Rule._apply_scan_index_plan(specs, found, concurrently=True)
                finally:
                    cr.execute(SQL("SELECT pg_advisory_unlock(%s)", INDEX_LOCK))
            finally:
                cr.connection.autocommit = False
    except Exception:
        _logger.exception("Data-quality scan indexes: the maintenance failed")
