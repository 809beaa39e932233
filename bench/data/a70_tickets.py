"""After-sales tickets: 100,000 per scale unit, from the generated
customers, and 20,000 returns on a fifth of them. About one ticket in ten
is still being worked on, its current step due from three days ago to three
days ahead; the others are through their process and closed. Written with
COPY from one model ticket and one model return made through the ORM."""

import random
from datetime import timedelta

from odoo import fields

from bench.rows import copy_rows, next_ids, sample_rows

PER_SCALE = 100_000
RETURNS_PER_SCALE = 20_000
OPEN_SHARE = 0.10
SERVICE_TYPES = ("consultation", "complaint", "return", "exchange", "refund", "resend")


def _customers(env):
    env.cr.execute("SELECT id FROM res_partner WHERE ref LIKE 'BENCH-%' ORDER BY id")
    return [row[0] for row in env.cr.fetchall()]


def _products(env):
    env.cr.execute(
        "SELECT id FROM product_product WHERE default_code LIKE 'BP-%' AND active ORDER BY id"
    )
    return [row[0] for row in env.cr.fetchall()]


def generate(env, scale, progress):
    rng = random.Random(20261203)
    total = int(PER_SCALE * scale)
    returns = int(RETURNS_PER_SCALE * scale)
    customers = _customers(env)
    products = _products(env)
    steps = env.ref("neiqin_aftersales.process_service").step_ids.sorted("sequence")
    stages = env["helpdesk.ticket.stage"].search([])
    open_stages = stages.filtered(lambda s: not s.closed) or stages
    closed_stages = stages.filtered("closed") or stages
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    now = fields.Datetime.now()

    def build():
        ticket = env["helpdesk.ticket"].create(
            {"name": "Bench ticket", "description": "<p>Bench</p>", "partner_id": customers[0]}
        )
        rma = env["rma"].create(
            {
                "partner_id": customers[0],
                "product_id": products[0],
                "product_uom_qty": 1,
                "location_id": warehouse.rma_loc_id.id,
                "neiqin_ticket_id": ticket.id,
            }
        )
        return ticket, rma

    ticket_row, rma_row = sample_rows(env, build)
    ticket_ids = next_ids(env, "helpdesk_ticket", total)
    tickets = []
    for index, ticket_id in enumerate(ticket_ids):
        created = now - timedelta(minutes=rng.randint(60, 60 * 24 * 90))
        is_open = rng.random() < OPEN_SHARE
        customer = rng.choice(customers)
        if is_open:
            step = steps[rng.randrange(len(steps))]
            deadline = now + timedelta(minutes=rng.randint(-3 * 1440, 3 * 1440))
            stage = open_stages[index % len(open_stages)]
        else:
            step = steps[-1]
            deadline = created + timedelta(hours=step.deadline_hours)
            stage = closed_stages[index % len(closed_stages)]
        tickets.append(
            {
                "id": ticket_id,
                "number": f"BT{index:07d}",
                "name": f"Bench ticket {index}",
                "description": f"<p>Bench ticket {index}</p>",
                "partner_id": customer,
                "commercial_partner_id": customer,
                "stage_id": stage.id,
                "neiqin_service_type": SERVICE_TYPES[index % len(SERVICE_TYPES)],
                "neiqin_step_id": step.id,
                "neiqin_step_state": "open" if is_open else "done",
                "neiqin_step_deadline_at": deadline,
                "neiqin_external_source": "bench",
                "neiqin_external_ref": f"BT-{index}",
                "create_date": created,
                "write_date": created,
                "last_stage_update": created,
                "closed_date": None if is_open else created + timedelta(hours=12),
            }
        )
    copy_rows(env, "helpdesk_ticket", ticket_row, tickets, progress, "tickets")
    rows = []
    for index in range(returns):
        position = rng.randrange(len(ticket_ids))
        rows.append(
            {
                "name": f"BRMA{index:07d}",
                "neiqin_ticket_id": ticket_ids[position],
                "partner_id": tickets[position]["partner_id"],
                "product_id": rng.choice(products),
                "create_date": tickets[position]["create_date"],
                "write_date": tickets[position]["create_date"],
            }
        )
    copy_rows(env, "rma", rma_row, rows, progress, "returns")
    env.cr.execute("ANALYZE helpdesk_ticket")
    env.cr.execute("ANALYZE rma")
