"""Member levels of every customer and satisfaction per agent for a month
(neiqin_aftersales): the set-based way against the per-record loop and the
SQL lower bound.

The ratings of tickets are made by the scenario itself (untimed setup, in
the way's own transaction): tickets and ratings copied from one ORM-made
row each, spread over the back-office users and the customers."""

import random
import uuid
from datetime import datetime, timedelta

from odoo.tools import SQL

from odoo.addons.neiqin_aftersales.models.res_partner import MEMBER_LEVEL_SQL
from odoo.addons.neiqin_base.engine.guard import engine_writes

from bench.rows import copy_rows, next_ids, sample_rows
from bench.runner import Scenario

SEED = 70
MONTH = datetime(2026, 1, 1)
NEXT_MONTH = datetime(2026, 2, 1)


# ---------------------------------------------------------------- member levels
def _customers(env):
    env.cr.execute(
        "SELECT count(*) FROM res_partner p WHERE p.active AND (p.customer_rank > 0 OR EXISTS "
        "(SELECT 1 FROM sale_order so WHERE so.partner_id = p.id AND so.state = 'sale'))"
    )
    return env.cr.fetchone()[0]


def _levels_setup(env):
    """Levels as yesterday's run left them, then a day of new confirmed
    orders (1 % of the quotations) for today's run to find."""
    env.cr.execute(SQL(MEMBER_LEVEL_SQL, all=True, ids=[]))
    env.cr.execute(
        "UPDATE sale_order SET state = 'sale' WHERE id IN (SELECT id FROM sale_order "
        "WHERE state = 'draft' ORDER BY id LIMIT GREATEST(1, "
        "(SELECT count(*) / 100 FROM sale_order WHERE state = 'draft')))"
    )
    env.invalidate_all()


def _levels_ours(env):
    env["res.partner"]._cron_neiqin_member_levels()
    env.flush_all()


def _levels_naive(env):
    """One customer at a time: read its confirmed orders, pick its level,
    write it and note the change."""
    Partner = env["res.partner"]
    levels = env["neiqin.member.level"].search([], order="sequence desc, min_spend desc, id desc")
    customers = Partner.search(
        ["|", ("customer_rank", ">", 0), ("sale_order_ids.state", "=", "sale")]
    )
    for partner in customers:
        commercial = partner.commercial_partner_id
        orders = env["sale.order"].search(
            [("partner_id", "child_of", commercial.id), ("state", "=", "sale")]
        )
        by_company = {}
        for order in orders:
            spend, count = by_company.get(order.company_id.id, (0.0, 0))
            rate = order.currency_rate or 1.0
            by_company[order.company_id.id] = (spend + order.amount_untaxed / rate, count + 1)
        new = Partner.neiqin_member_level_id
        for level in levels:
            stats = (
                [by_company.get(level.company_id.id)]
                if level.company_id
                else list(by_company.values()) or [(0.0, 0)]
            )
            if any(s and s[0] >= level.min_spend and s[1] >= level.min_orders for s in stats):
                new = level
                break
        if partner.neiqin_member_level_id != new:
            old = partner.neiqin_member_level_id.name or "-"
            with engine_writes():
                partner.write({"neiqin_member_level_id": new.id})
            partner._message_log(body=f"Member level: {old} → {new.name or '-'}")
    env.flush_all()


def _levels_sql(env):
    env.cr.execute(SQL(MEMBER_LEVEL_SQL, all=True, ids=[]))


# ---------------------------------------------------------------- satisfaction
def _ratings_setup(env):
    """Tickets rated by their customers, January 2026, over the agents."""
    count = _ratings_count(env)
    rng = random.Random(SEED)
    env.cr.execute(
        "SELECT u.id FROM res_users u JOIN res_groups_users_rel r ON r.uid = u.id "
        "WHERE r.gid = %s AND u.active ORDER BY u.id",
        [env.ref("neiqin_base.group_neiqin_clerk").id],
    )
    agents = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        "SELECT id FROM res_partner WHERE customer_rank > 0 AND active ORDER BY id LIMIT 5000"
    )
    customers = [row[0] for row in env.cr.fetchall()] or [env.company.partner_id.id]

    def build():
        ticket = env["helpdesk.ticket"].create(
            {"name": "Bench ticket", "description": "<p>Bench</p>", "partner_id": customers[0]}
        )
        rating = env["rating.rating"].create(
            {
                "res_model_id": env["ir.model"]._get_id("helpdesk.ticket"),
                "res_id": ticket.id,
                "partner_id": customers[0],
                "rating": 5,
                "consumed": True,
            }
        )
        return [ticket, rating]

    ticket_row, rating_row = sample_rows(env, build)
    for name in ("neiqin_step_id", "neiqin_process_id", "neiqin_step_state"):
        ticket_row.pop(name, None)
    ticket_ids = next_ids(env, "helpdesk_ticket", count)
    tickets, ratings = [], []
    for index, ticket_id in enumerate(ticket_ids):
        rated_on = MONTH + timedelta(minutes=rng.randint(0, 60 * 24 * 45))
        customer = rng.choice(customers)
        tickets.append(
            {
                "id": ticket_id,
                "number": f"BHT{index:07d}",
                "name": f"Bench ticket {index}",
                "user_id": rng.choice(agents) if agents else None,
                "partner_id": customer,
                "neiqin_service_type": rng.choice(("consultation", "return", "complaint")),
                "create_date": rated_on,
                "write_date": rated_on,
            }
        )
        ratings.append(
            {
                "res_id": ticket_id,
                "partner_id": customer,
                "rating": rng.choice((5, 5, 5, 3, 1)),
                "access_token": uuid.UUID(int=rng.getrandbits(128)).hex,
                "create_date": rated_on,
                "write_date": rated_on,
            }
        )
    copy_rows(env, "helpdesk_ticket", ticket_row, tickets)
    copy_rows(env, "rating_rating", rating_row, ratings)
    env.invalidate_all()


def _ratings_count(env):
    """As many rated tickets as customers (20,000 at scale 1), at least 50."""
    env.cr.execute("SELECT count(*) FROM res_partner WHERE customer_rank > 0 AND active")
    return max(50, env.cr.fetchone()[0])


def _month_domain():
    return [("rated_on", ">=", MONTH), ("rated_on", "<", NEXT_MONTH)]


def _ratings_ours(env):
    env["neiqin.satisfaction.report"]._read_group(
        _month_domain(), ["user_id"], ["rating_count:sum", "rating:avg", "satisfied_share:avg"]
    )


def _ratings_naive(env):
    """Ticket by ticket: its ratings of the month, summed per agent."""
    per_agent = {}
    tickets = env["helpdesk.ticket"].search([("rating_ids.consumed", "=", True)])
    for ticket in tickets:
        for rating in ticket.rating_ids:
            rated_on = rating.write_date or rating.create_date
            if not rating.consumed or rating.rating <= 0 or not MONTH <= rated_on < NEXT_MONTH:
                continue
            total, count, satisfied = per_agent.get(ticket.user_id.id, (0.0, 0, 0))
            per_agent[ticket.user_id.id] = (
                total + rating.rating,
                count + 1,
                satisfied + (rating.rating >= 5),
            )
    return per_agent


def _ratings_sql(env):
    env.cr.execute(
        SQL(
            "SELECT t.user_id, count(*), avg(r.rating), "
            "avg(CASE WHEN r.rating >= 5 THEN 100.0 ELSE 0.0 END) "
            "FROM rating_rating r JOIN helpdesk_ticket t ON t.id = r.res_id "
            "WHERE r.res_model = 'helpdesk.ticket' AND r.consumed AND r.rating > 0 "
            "AND COALESCE(r.write_date, r.create_date) >= %s "
            "AND COALESCE(r.write_date, r.create_date) < %s GROUP BY t.user_id",
            MONTH,
            NEXT_MONTH,
        )
    )
    env.cr.fetchall()


SCENARIOS = [
    Scenario(
        name="member levels of every customer",
        records=_customers,
        setup=_levels_setup,
        ours=_levels_ours,
        naive=_levels_naive,
        sql=_levels_sql,
        notes="one UPDATE computes every customer's spend, orders and level; one batch "
        "of chatter notes for the changes (sql: the UPDATE alone)",
        max_queries=40,
    ),
    Scenario(
        name="satisfaction per agent for a month",
        records=_ratings_count,
        setup=_ratings_setup,
        ours=_ratings_ours,
        naive=_ratings_naive,
        sql=_ratings_sql,
        notes="one grouped read of the satisfaction report (a SQL view)",
        max_queries=5,
    ),
]
