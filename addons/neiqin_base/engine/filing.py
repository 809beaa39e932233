"""The filing of data-quality issues after a check: open, reopen, close and
re-key ``neiqin.dq.issue`` rows, for every rule at once, with a handful of
set-based writes.

The filer works on the rules as the engine (``neiqin.dq.rule._scan`` and
``_check_records`` run as superuser): issues are the engine's records,
their findings are refused to users (``neiqin.dq.issue``).
"""

from odoo import fields
from odoo.tools import SQL, groupby, split_every

QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True}
BATCH_SIZE = "neiqin_base.dq_batch_size"
DEFAULT_BATCH_SIZE = 20000


def known_issues(rules, *conditions):
    """Return {rule id: {res_id: (issue id, state, duplicate key)}}: the
    latest issue of ``rules`` for each record matching one of
    ``conditions`` (SQL on the issue ``i``), each read by a select of its
    own, so that each uses its index.

    Read in SQL: this is the engine's own bookkeeping, which must see every
    issue of its rules whoever runs the scan; record rules on issues would
    otherwise make it file a second issue for a record."""
    env = rules.env
    env["neiqin.dq.issue"].flush_model(["rule_id", "res_id", "state", "duplicate_key"])
    env.cr.execute(
        SQL(
            "%s ORDER BY 3",
            SQL(" UNION ").join(
                SQL(
                    """SELECT i.rule_id, i.res_id, i.id, i.state, i.duplicate_key
                         FROM neiqin_dq_issue i
                        WHERE i.rule_id = ANY(%s) AND (%s)""",
                    rules.ids,
                    condition,
                )
                for condition in conditions
            ),
        )
    )
    known = {rule_id: {} for rule_id in rules.ids}
    for rule_id, res_id, issue_id, state, key in env.cr.fetchall():
        known[rule_id][res_id] = (issue_id, state, key)
    return known


def batch_size(env):
    # The setting is the engine's, read whoever scans.
    return int(env["ir.config_parameter"].sudo().get_param(BATCH_SIZE, DEFAULT_BATCH_SIZE))


def sort_findings(checked, bad, known):
    """What a check's findings change: (issue ids to close, issue ids to
    reopen, (rule, res_id, key) of the issues to open, (issue id, key) of
    those to re-key). See :func:`file_findings` for the arguments."""
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
    return close, reopen, new, rekey


def file_findings(env, checked, bad, known, commit=False):
    """Open, reopen and close issues after a check, for every rule at once.

    ``checked``: {rule: ids checked, or None for the whole scope};
    ``bad``: {rule: {id breaking it: its duplicate key or None}};
    ``known``: the rules' issues as :func:`known_issues` returns them, for
    every checked and bad id. With ``commit``, the writes are committed by
    batches of the configured size."""
    close, reopen, new, rekey = sort_findings(checked, bad, known)
    Issue = env["neiqin.dq.issue"].with_context(**QUIET)
    now = fields.Datetime.now()
    size = batch_size(env)
    for ids in split_every(size, close):
        Issue.browse(ids).write({"state": "closed", "closed_at": now})
        commit_batch(env, commit)
    for ids in split_every(size, reopen):
        _reopen(Issue.browse(ids), now)
        commit_batch(env, commit)
    for found in split_every(size, new):
        Issue.create(issue_vals(env, found, now))
        commit_batch(env, commit)
    if rekey:
        _rekey(Issue, rekey)
        commit_batch(env, commit)


def _reopen(issues, now):
    issues.write({"state": "open", "closed_at": False, "last_reopened_at": now})
    issues.flush_recordset()
    issues.env.cr.execute(
        SQL(
            "UPDATE neiqin_dq_issue SET reopen_count = reopen_count + 1 WHERE id = ANY(%s)",
            list(issues.ids),
        )
    )
    issues.invalidate_recordset(["reopen_count"])


def _rekey(Issue, rekey):
    """A record that moved to another duplicate group: its issue follows it,
    so that a later rescan finds the group it left."""
    Issue.flush_model(["duplicate_key"])
    Issue.env.cr.execute(
        SQL(
            """UPDATE neiqin_dq_issue i SET duplicate_key = k.key
                 FROM unnest(%s::int[], %s::varchar[]) AS k (id, key)
                WHERE i.id = k.id""",
            [issue_id for issue_id, __ in rekey],
            [key for __, key in rekey],
        )
    )
    Issue.invalidate_model(["duplicate_key"])


def commit_batch(env, commit):
    if commit:
        # The cron's batches: what is filed stays filed if the scan stops.
        env.cr.commit()  # pylint: disable=invalid-commit


def issue_vals(env, found, now):
    """Values of new issues for (rule, res_id, duplicate key) triples."""
    records = {}
    for model_name, triples in groupby(found, key=lambda triple: triple[0].model_name):
        model = env[model_name].with_context(active_test=False)
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
                "duplicate_key": key,
                "found_at": now,
                # Stored computed values given here are not recomputed by a
                # second statement after the insert.
                **env["neiqin.dq.issue"]._sequences("open", rule.severity),
                "severity": rule.severity,
                "owner_user_id": rule.owner_user_id.id,
                "owner_team_id": rule.owner_team_id.id,
            }
        )
    return vals
