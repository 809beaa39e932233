"""Customer-notice outbox: a connector pulls 10,000 queued platform messages
by pages of 500, each page claimed in one statement (FOR UPDATE SKIP
LOCKED), and acknowledges each page in one call (ours), against one pull
and one acknowledgement per notice (naive) and one UPDATE marking them all
sent (sql, the lower bound). The calls are made in this process as the
connector's user, so that the times compare the methods, not the network."""

from odoo import Command
from odoo.tools import SQL

from bench.data.a30_users import CONNECTOR_LOGIN
from bench.runner import Scenario

NOTICES = 10_000
PAGE = 500
PLATFORM = "pdd"


def _notices(env):
    # The smoke tests queue a few; the benchmark NOTICES.
    return env.context.get("bench_items", NOTICES)


def _connector(env):
    return env["res.users"].search([("login", "=", CONNECTOR_LOGIN)], limit=1)


def _setup(env):
    """The connector bound to the platform, and the queue (undone after each run)."""
    platform = env["neiqin.platform"].search([("code", "=", PLATFORM)], limit=1)
    _connector(env).write(
        {
            "groups_id": [Command.link(env.ref("neiqin_base.group_neiqin_connector").id)],
            "neiqin_platform_ids": [Command.set(platform.ids)],
        }
    )
    env.flush_all()
    env.cr.execute(
        SQL(
            """INSERT INTO neiqin_notice (res_model, res_id, res_name, company_id, platform_id,
                                          platform_ref, kind, channel, lang, body, state, tries,
                                          queued_at, create_uid, create_date, write_uid,
                                          write_date)
               SELECT 'sale.order', 2000000000 + n, 'BENCH-' || n, %(company)s, %(platform)s,
                      'BENCH-' || n, 'confirmed', 'platform', 'zh_CN',
                      'Your order BENCH-' || n || ' is confirmed.', 'queued', 0,
                      now() AT TIME ZONE 'UTC' - interval '1 hour' + n * interval '1 millisecond',
                      1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
                 FROM generate_series(1, %(count)s) n""",
            company=env.company.id,
            platform=platform.id,
            count=_notices(env),
        )
    )
    env.cr.execute("ANALYZE neiqin_notice")


def _outbox(env):
    return env["neiqin.notice"].with_user(_connector(env))


def _ours(env):
    outbox = _outbox(env)
    while True:
        page = outbox.api_pull_notices(PLATFORM, PAGE)
        if not page:
            break
        results = outbox.api_ack_notices([{"id": n["id"], "status": "sent"} for n in page])
        assert all(r["status"] == "updated" for r in results), results[:3]


def _naive(env):
    outbox = _outbox(env)
    while True:
        page = outbox.api_pull_notices(PLATFORM, 1)
        if not page:
            break
        outbox.api_ack_notices([{"id": page[0]["id"], "status": "sent"}])


def _sql(env):
    env.cr.execute(
        "UPDATE neiqin_notice SET state = 'sent', sent_at = now() AT TIME ZONE 'UTC' "
        "WHERE state = 'queued' AND channel = 'platform'"
    )


SCENARIOS = [
    Scenario(
        name="notice pull and acknowledgement",
        records=_notices,
        setup=_setup,
        ours=_ours,
        naive=_naive,
        sql=_sql,
        notes=f"pages of {PAGE} claimed in one statement each (SKIP LOCKED), acknowledged "
        "per page, against one pull and one acknowledgement per notice",
        # A page is a pull and an acknowledgement, a handful of queries each:
        # 21 pages for 10,000 notices.
        max_queries=400,
    )
]
