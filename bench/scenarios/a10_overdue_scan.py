"""Overdue-step scan: the cron's one claiming query against the naive ORM
loop over open passages and the same selection in plain SQL."""

from odoo import fields
from odoo.tools import SQL

from bench.runner import Scenario

BATCH = 500


def _count(env):
    env.cr.execute("SELECT count(*) FROM neiqin_step_log")
    return env.cr.fetchone()[0]


def _ours(env):
    env.cr.execute(env["neiqin.step.log"]._overdue_query(fields.Datetime.now(), BATCH))
    env.cr.fetchall()


def _naive(env):
    now = fields.Datetime.now()
    due = []
    for log in env["neiqin.step.log"].search([("state", "=", "open")]):
        if (not log.alerted_at and log.deadline_at and log.deadline_at < now) or (
            not log.escalated_at and log.escalate_at and log.escalate_at < now
        ):
            due.append(log.id)
            if len(due) == BATCH:
                break


def _sql(env):
    env.cr.execute(
        SQL(
            "SELECT id FROM neiqin_step_log WHERE state = 'open' AND alerted_at IS NULL "
            "AND deadline_at < %s ORDER BY id LIMIT %s",
            fields.Datetime.now(),
            BATCH,
        )
    )
    env.cr.fetchall()


SCENARIOS = [
    Scenario(
        name="overdue step scan",
        records=_count,
        ours=_ours,
        naive=_naive,
        sql=_sql,
        notes="one indexed query claims a batch of due passages",
        max_queries=1,
    )
]
