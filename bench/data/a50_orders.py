"""Sale orders: 20,000 per scale unit with 1 to 5 lines (3 on average), from
the generated customers and products. A quarter are open platform orders
waiting for review at the process's first step; the rest are confirmed and
through their process. Among the open ones, about 1-2 % each break a review
rule (short stock, unread remark, refund requested, blacklisted customer,
order placed twice, price off list, amount above the threshold, payment
mismatch); flawed customers and archived products add address, phone and
product exceptions. 1,000 confirmed orders have an open delivery, for the
tracking-number API. Written with COPY from one model order made through
the ORM."""

import random
from datetime import timedelta

from odoo import fields

from bench.rows import copy_rows, next_ids, sample_rows

PER_SCALE = 20_000
OPEN_SHARE = 0.25
DELIVERIES = 1_000
# A platform code the order form knows (the orders are written with COPY,
# past the field's check); the API scenario's orders are "other".
PLATFORM = "shop"


def _customers(env):
    env.cr.execute("SELECT id FROM res_partner WHERE ref LIKE 'BENCH-%' ORDER BY id")
    return [row[0] for row in env.cr.fetchall()]


def _products(env):
    env.cr.execute(
        """SELECT p.id, t.list_price, p.active AND t.active AND t.sale_ok
             FROM product_product p JOIN product_template t ON t.id = p.product_tmpl_id
            WHERE p.default_code LIKE 'BP-%' AND t.list_price > 0
            ORDER BY p.id"""
    )
    return env.cr.fetchall()


def generate(env, scale, progress):
    rng = random.Random(2026)
    total = int(PER_SCALE * scale)
    customers = _customers(env)
    products = _products(env)
    healthy = [p for p in products if p[2]]
    process = env.ref("neiqin_orders.process_order")
    first_step = process.step_ids.sorted("sequence")[:1]
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    now = fields.Datetime.now()
    # Half a percent of the customers are on the blacklist.
    env.cr.execute(
        "UPDATE res_partner SET neiqin_blacklisted = true WHERE id = ANY(%s)",
        [customers[::200]],
    )

    def build():
        order = (
            env["sale.order"]
            .with_context(neiqin_no_process=True)
            .create(
                {
                    "partner_id": customers[0],
                    "warehouse_id": warehouse.id,
                    "order_line": [(0, 0, {"product_id": healthy[0][0], "product_uom_qty": 1})],
                }
            )
        )
        picking = env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": customers[0],
                "origin": order.name,
            }
        )
        return order, order.order_line, picking

    order_row, line_row, picking_row = sample_rows(env, build)
    order_ids = next_ids(env, "sale_order", total)
    orders, lines, pickings = [], [], []
    previous = None
    for index, order_id in enumerate(order_ids):
        is_open = rng.random() < OPEN_SHARE
        flaw = rng.random() if is_open else 1.0
        customer = rng.choice(customers)
        date_order = now - timedelta(minutes=rng.randint(60, 60 * 24 * 90))
        if flaw < 0.01 and previous:
            # The same customer orders the same again within the hour.
            customer, date_order = previous[0], previous[1] + timedelta(minutes=rng.randint(1, 50))
        total_amount = 0.0
        for sequence in range(rng.choice((1, 2, 3, 3, 4, 5))):
            product_id, list_price, ok = rng.choice(products if rng.random() < 0.05 else healthy)
            qty = float(rng.randint(1, 3))
            price = list_price
            if 0.01 <= flaw < 0.03 and sequence == 0:
                qty = 5000.0  # more than any stock
            elif 0.03 <= flaw < 0.05 and sequence == 0:
                price = round(list_price * 0.4, 2)
            elif 0.05 <= flaw < 0.06 and sequence == 0:
                qty = float(rng.randint(60, 100)) if list_price > 600 else qty
            subtotal = round(qty * price, 2)
            total_amount += subtotal
            lines.append(
                {
                    "order_id": order_id,
                    "sequence": 10 + sequence,
                    "product_id": product_id,
                    "name": f"Bench line {index}-{sequence}",
                    "product_uom_qty": qty,
                    "price_unit": price,
                    "technical_price_unit": price,
                    "price_subtotal": subtotal,
                    "price_total": subtotal,
                    "price_tax": 0.0,
                    "price_reduce_taxexcl": price,
                    "price_reduce_taxinc": price,
                    "qty_to_invoice": 0.0 if is_open else qty,
                    "untaxed_amount_to_invoice": 0.0 if is_open else subtotal,
                    "order_partner_id": customer,
                    "state": "draft" if is_open else "sale",
                    "create_date": date_order,
                    "write_date": date_order,
                }
            )
        total_amount = round(total_amount, 2)
        paid = total_amount
        if 0.06 <= flaw < 0.08:
            paid = round(total_amount * 0.5, 2)
        number = f"B{index:07d}"
        orders.append(
            {
                "id": order_id,
                "name": f"BS{index:07d}",
                "partner_id": customer,
                "partner_invoice_id": customer,
                "partner_shipping_id": customer,
                "date_order": date_order,
                "create_date": date_order,
                "write_date": date_order,
                "state": "draft" if is_open else "sale",
                "invoice_status": "no" if is_open else "to invoice",
                "amount_untaxed": total_amount,
                "amount_tax": 0.0,
                "amount_total": total_amount,
                "neiqin_platform": PLATFORM,
                "neiqin_platform_order_no": number,
                "neiqin_buyer_remark": "Please send it gift-wrapped"
                if 0.08 <= flaw < 0.10
                else None,
                "neiqin_remark_read": False,
                "neiqin_refund_state": "requested" if 0.10 <= flaw < 0.11 else "none",
                "neiqin_review_state": "to_review" if is_open else "approved",
                "neiqin_platform_paid": paid,
                "neiqin_payment_ref": f"PAY-{number}",
                "neiqin_amount_paid": paid,
                "neiqin_payment_state": "paid" if paid == total_amount else "partial",
                "neiqin_process_id": process.id,
                "neiqin_step_id": first_step.id,
                "neiqin_step_state": "open" if is_open else "done",
                "neiqin_step_deadline_at": date_order + timedelta(hours=4),
            }
        )
        previous = (customer, date_order)
        if not is_open and len(pickings) < DELIVERIES:
            pickings.append(
                {
                    "name": f"WH/OUT/B{len(pickings):06d}",
                    "origin": f"BS{index:07d}",
                    "partner_id": customer,
                    "sale_id": order_id,
                    "state": "assigned",
                    "create_date": date_order,
                    "write_date": date_order,
                }
            )
    copy_rows(env, "sale_order", order_row, orders, progress, "orders")
    copy_rows(env, "sale_order_line", line_row, lines, progress, "order lines")
    copy_rows(env, "stock_picking", picking_row, pickings, progress, "deliveries")
    for table in ("sale_order", "sale_order_line", "stock_picking", "res_partner"):
        env.cr.execute(f"ANALYZE {table}")  # noqa: S608
    env.invalidate_all()
