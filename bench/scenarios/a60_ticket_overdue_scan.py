"""Overdue tickets: the tickets whose current step is past its deadline, as
one indexed query (the open steps' deadline index), against the per-record
ORM loop over open tickets and the same selection in plain SQL."""

from odoo import fields
from odoo.tools import SQL

from bench.runner import Scenario

BATCH = 500


def _count(env):
    env.cr.execute("SELECT count(*) FROM helpdesk_ticket")
    return env.cr.fetchone()[0]


def _ours(env):
    env["helpdesk.ticket"]._neiqin_overdue_tickets(limit=BATCH)


def _naive(env):
    due = []
    for ticket in env["helpdesk.ticket"].search([("neiqin_step_state", "=", "open")]):
        if ticket.neiqin_step_is_overdue:
            due.append(ticket.id)
    due.sort()
    return due[:BATCH]


def _sql(env):
    env.cr.execute(
        SQL(
            "SELECT id FROM helpdesk_ticket WHERE neiqin_step_state = 'open' "
            "AND neiqin_step_deadline_at < %s ORDER BY neiqin_step_deadline_at LIMIT %s",
            fields.Datetime.now(),
            BATCH,
        )
    )
    env.cr.fetchall()


SCENARIOS = [
    Scenario(
        name="ticket overdue scan",
        records=_count,
        ours=_ours,
        naive=_naive,
        sql=_sql,
        notes="one query on the open steps' deadline index finds a batch of overdue tickets",
        max_queries=1,
    )
]
