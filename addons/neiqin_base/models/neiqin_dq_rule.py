import logging
import re
import time
from datetime import timedelta

from psycopg2 import DataError, ProgrammingError

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, sql
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval

from ..engine.rule_sql import DOMAIN_BUILDERS, SQL_TYPES, RuleSpec, bad_ids_query

_logger = logging.getLogger(__name__)

METHOD_PREFIX = "_neiqin_dq_"
NUMERIC_TYPES = ("integer", "float", "monetary")
TEXT_TYPES = ("char", "text")
# Records written by a transaction that started before a scan but committed
# after it carry a write_date older than the scan: the next incremental scan
# looks back this much further, so that they are not missed.
WATERMARK_MARGIN = timedelta(minutes=10)
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True}


class NeiqinDqRule(models.Model):
    """A data-quality rule on one model.

    A scan compiles the rule into one SQL query over a batch of candidate
    records (engine/rule_sql.py), then opens, reopens and closes
    ``neiqin.dq.issue`` rows with a handful of set-based writes. Scans are
    incremental by ``write_date`` and resumable: the rule remembers where an
    interrupted scan stopped.
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
    last_scan_checked = fields.Integer(string="Checked by Last Scan", readonly=True, copy=False)
    last_scan_seconds = fields.Float(string="Last Scan Duration (s)", readonly=True, copy=False)
    scan_started_at = fields.Datetime(
        readonly=True, copy=False, help="Set while a scan is under way."
    )
    scan_since = fields.Datetime(readonly=True, copy=False)
    scan_resume_id = fields.Integer(readonly=True, copy=False)

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
    def _eval_domain(self, text, model=None):
        if not text:
            return []
        try:
            domain = safe_eval(
                text,
                {
                    "uid": self.env.uid,
                    "user": self.env.user,
                    "datetime": safe_datetime,
                    "context_today": lambda: fields.Date.context_today(self),
                },
            )
            domain = expression.normalize_domain(domain)
            if model is not None:
                model.with_context(active_test=False)._search(domain)
        except Exception as exc:
            raise ValidationError(
                self.env._(
                    "Rule %(rule)s: the condition %(domain)s is not valid: %(error)s",
                    rule=self.name,
                    domain=text,
                    error=exc,
                )
            ) from exc
        return domain

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
    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        rules._ensure_scan_index()
        return rules

    def write(self, vals):
        result = super().write(vals)
        if "model_id" in vals:
            self._ensure_scan_index()
        return result

    def _ensure_scan_index(self):
        """Give each scanned model's table an index on ``write_date``, so that
        an incremental scan reads the records changed since the last one
        instead of the whole table."""
        for model_name in set(self.mapped("model_name")):
            model = self.env.get(model_name)
            if model is None or not model._auto or not model._log_access:
                continue
            sql.create_index(
                self.env.cr,
                sql.make_index_name(model._table, "neiqin_write_date"),
                model._table,
                ['"write_date"'],
            )

    # ------------------------------------------------------------------ scan
    def _spec(self):
        self.ensure_one()
        model = self.env[self.model_name]
        return RuleSpec(
            rule_type=self.rule_type,
            field_names=tuple(self.field_ids.mapped("name")),
            pattern=self.pattern or "",
            min_value=self.min_value if self.has_min else None,
            max_value=self.max_value if self.has_max else None,
            domain=self._eval_domain(self.domain)
            if self.rule_type in ("domain", "reference")
            else [],
            scope=self._eval_domain(self.scope_domain, model),
            case_insensitive=self.case_insensitive,
        )

    def _bad_ids(self, candidate_ids):
        """Ids among ``candidate_ids`` (None: all in scope) that break the rule."""
        self.ensure_one()
        model = self.env[self.model_name].with_context(active_test=False)
        if self.rule_type == "method":
            spec = self._spec()
            domain = spec.scope
            if candidate_ids is not None:
                domain = expression.AND([domain, [("id", "in", list(candidate_ids))]])
            records = model.search(domain)
            return set(getattr(records, self.method_name)(self).ids)
        if self.rule_type in DOMAIN_BUILDERS or self.rule_type in SQL_TYPES:
            self.env.flush_all()
            self.env.cr.execute(bad_ids_query(model, self._spec(), candidate_ids))
            return {row[0] for row in self.env.cr.fetchall()}
        raise UserError(self.env._("Unknown rule type %s.", self.rule_type))

    def _batch_size(self):
        return int(
            self.env["ir.config_parameter"].sudo().get_param("neiqin_base.dq_batch_size", 20000)
        )

    def _scan(self, full=False, commit=False):
        """Scan each rule; return {rule: number of records checked}.

        Candidates are the records in scope changed since the last finished
        scan (all of them when ``full`` or never scanned), plus records that
        have an open issue for the rule: all of them when the rule reads other
        records (so that fixes made elsewhere, an archived category or a
        deleted duplicate, close their issues too), else those changed or
        deleted since (so that a record leaving the scope closes its issue).
        """
        result = {}
        for rule in self:
            result[rule] = rule._scan_one(full=full, commit=commit)
        return result

    def _scan_one(self, full=False, commit=False):
        self.ensure_one()
        t0 = time.monotonic()
        model = self.env[self.model_name].with_context(active_test=False)
        spec = self._spec()
        if self.scan_started_at and not full:
            started, since, after_id = self.scan_started_at, self.scan_since, self.scan_resume_id
        else:
            # The transaction's clock, as write_date uses.
            started = self.env.cr.now().replace(tzinfo=None)
            since = False if full or not self.last_scan_at else self.last_scan_at - WATERMARK_MARGIN
            after_id = 0
            self.write({"scan_started_at": started, "scan_since": since, "scan_resume_id": 0})
        checked = 0
        recheck = self._open_issue_res_ids(
            since=since if since and not self._reads_other_records() else None
        )
        # A full scan checks the whole scope with one query, then files the
        # findings batch by batch; an incremental one checks each batch.
        bad_in_scope = None if since else self._bad_ids(None)
        for candidates in self._candidate_batches(model, spec.scope, since, after_id):
            ids = set(candidates) | recheck
            recheck = set()
            bad = self._bad_ids(ids) if bad_in_scope is None else ids & bad_in_scope
            self._apply_results(ids | bad, bad)
            checked += len(ids)
            self.write({"scan_resume_id": candidates[-1]})
            if commit:
                # Commit per batch: an interrupted scan resumes after it.
                self.env.cr.commit()  # pylint: disable=invalid-commit
        if recheck:
            # Nothing changed in scope, but open issues may have been fixed.
            bad = self._bad_ids(recheck) if bad_in_scope is None else recheck & bad_in_scope
            self._apply_results(recheck | bad, bad)
            checked += len(recheck)
        self.write(
            {
                "last_scan_at": started,
                "last_scan_checked": checked,
                "last_scan_seconds": time.monotonic() - t0,
                "scan_started_at": False,
                "scan_since": False,
                "scan_resume_id": 0,
            }
        )
        if commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        return checked

    def _candidate_batches(self, model, scope, since, after_id):
        """Ids to check, in batches of the configured size, in id order.

        An incremental scan (``since``) takes every record written since then
        in one query, which the write_date index serves (a LIMIT in id order
        would make PostgreSQL walk the whole table by id instead); a full
        scan pages through the table by id."""
        size = self._batch_size()
        if since:
            ids = model.search(
                expression.AND([scope, [("id", ">", after_id), ("write_date", ">=", since)]]),
                order="id",
            ).ids
            for start in range(0, len(ids), size):
                yield ids[start : start + size]
            return
        while True:
            ids = model.search(
                expression.AND([scope, [("id", ">", after_id)]]), order="id", limit=size
            ).ids
            if not ids:
                return
            yield ids
            if len(ids) < size:
                return
            after_id = ids[-1]

    def _open_issue_res_ids(self, since=None):
        """Records with an open issue of this rule; with ``since``, only those
        written since then or deleted."""
        self.ensure_one()
        self.env["neiqin.dq.issue"].flush_model(["rule_id", "state", "res_id"])
        if since:
            model = self.env[self.model_name]
            model.flush_model()
            query = SQL(
                """SELECT i.res_id FROM neiqin_dq_issue i
                     LEFT JOIN %s r ON r.id = i.res_id
                    WHERE i.rule_id = %s AND i.state = 'open'
                      AND (r.id IS NULL OR r.write_date >= %s)""",
                SQL.identifier(model._table),
                self.id,
                since,
            )
        else:
            query = SQL(
                "SELECT res_id FROM neiqin_dq_issue WHERE rule_id = %s AND state = 'open'", self.id
            )
        self.env.cr.execute(query)
        return {row[0] for row in self.env.cr.fetchall()}

    def _reads_other_records(self):
        """Whether a record's verdict may change while the record itself does
        not: the rule (or its scope) reads related records, non-stored fields
        or a whole group of records."""
        self.ensure_one()
        if self.rule_type in ("duplicate", "reference", "method"):
            return True
        model = self.env[self.model_name]
        domains = [self.scope_domain] + ([self.domain] if self.rule_type == "domain" else [])
        for text in domains:
            for leaf in self._eval_domain(text):
                if not expression.is_leaf(leaf) or leaf in (
                    expression.TRUE_LEAF,
                    expression.FALSE_LEAF,
                ):
                    continue
                field = model._fields.get(str(leaf[0]))
                if (
                    "." in str(leaf[0])
                    or not field
                    or not field.store
                    or field.type
                    in (
                        "one2many",
                        "many2many",
                    )
                ):
                    return True
        return False

    def _check_records(self, records):
        """Check ``records`` now against these rules; return their open issues."""
        for rule in self:
            bad = rule._bad_ids(set(records.ids))
            rule._apply_results(set(records.ids) | bad, bad)
        return self.env["neiqin.dq.issue"].search(
            [("rule_id", "in", self.ids), ("res_id", "in", records.ids), ("state", "=", "open")]
        )

    def _apply_results(self, checked_ids, bad_ids):
        """Open, reopen and close this rule's issues for ``checked_ids``."""
        self.ensure_one()
        Issue = self.env["neiqin.dq.issue"].with_context(**QUIET)
        now = fields.Datetime.now()
        existing = Issue.search_fetch(
            [("rule_id", "=", self.id), ("res_id", "in", list(checked_ids))],
            ["res_id", "state"],
            order="id",
        )
        latest = {issue.res_id: issue for issue in existing}
        to_close = Issue.browse(
            [i.id for res_id, i in latest.items() if i.state == "open" and res_id not in bad_ids]
        )
        to_reopen = Issue.browse(
            [i.id for res_id, i in latest.items() if i.state == "closed" and res_id in bad_ids]
        )
        new_ids = [res_id for res_id in bad_ids if res_id not in latest]
        if to_close:
            to_close.write({"state": "closed", "closed_at": now})
        if to_reopen:
            to_reopen.write({"state": "open", "closed_at": False, "last_reopened_at": now})
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    "UPDATE neiqin_dq_issue SET reopen_count = reopen_count + 1 WHERE id = ANY(%s)",
                    to_reopen.ids,
                )
            )
            to_reopen.invalidate_recordset(["reopen_count"])
        if new_ids:
            Issue.create(self._issue_vals(new_ids, now))

    def _issue_vals(self, res_ids, now):
        records = self.env[self.model_name].with_context(active_test=False).browse(sorted(res_ids))
        has_company = "company_id" in records._fields
        message = self.message or self.name
        return [
            {
                "rule_id": self.id,
                "res_model": self.model_name,
                "res_id": record.id,
                "res_name": record.display_name,
                "company_id": (record.company_id.id if has_company else False)
                or self.company_id.id,
                "message": message,
                "found_at": now,
                "owner_user_id": self.owner_user_id.id,
                "owner_team_id": self.owner_team_id.id,
            }
            for record in records
        ]

    # ------------------------------------------------------------------ actions
    def action_run(self):
        """Button: scan the changes since the last scan now."""
        self._scan()
        return self._notify_scan_done()

    def action_run_full(self):
        """Button: check every record in scope now."""
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

    @api.model
    def _cron_scan(self):
        """Scan every active rule whose model is installed, committing per batch.

        An interrupted scan (crash, timeout) resumes where it stopped."""
        rules = self.search([]).filtered(lambda r: r.model_name in self.env)
        for index, rule in enumerate(rules):
            try:
                rule._scan_one(commit=True)
            except Exception:
                self.env.cr.rollback()
                _logger.exception("Data-quality rule %s (%s) failed", rule.name, rule.id)
            self.env["ir.cron"]._notify_progress(done=index + 1, remaining=len(rules) - index - 1)
