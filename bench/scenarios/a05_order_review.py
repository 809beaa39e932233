"""Order review (订单审核) of every open order with every review rule on.

- ours: the review cron (batches of 50,000 orders, the domain rules one
  statement per batch, each module check one query per batch, issues
  opened and closed in bulk, clean orders approved and dispatched, their
  states written 10,000 orders at a time);
- naive: the same review called one order at a time;
- sql: the same work as one hand-written statement (the lower bound):
  every (order, failed rule) pair found, new issues inserted, issues no
  longer found closed, review states set, and each approved order given the
  carrier and warehouse of its first matching dispatch rule; it keeps no
  chatter or tracking;
- peer: OCA sale_exception with equivalent exception rules (domain rules
  where a domain can say it, Python code rules for stock, duplicates and
  prices, as its users write them), detecting on the same orders.
"""

import json

from odoo.tools import SQL, config

from bench.runner import Scenario

SCOPE = [
    ("state", "in", ("draft", "sent", "sale")),
    ("neiqin_review_state", "in", ("to_review", "exception")),
    ("neiqin_process_id", "!=", False),
    ("neiqin_step_state", "!=", "done"),
]
OPEN_ORDERS = """
    SELECT o.* FROM sale_order o
     WHERE o.state IN ('draft', 'sent', 'sale')
       AND o.neiqin_review_state IN ('to_review', 'exception')
       AND o.neiqin_process_id IS NOT NULL
       AND o.neiqin_step_state IS DISTINCT FROM 'done'
"""


def _count(env):
    return env["sale.order"].search_count(SCOPE)


def _setup(env):
    # Review only: approved platform orders are not confirmed in this run.
    env.company.neiqin_confirm_approved = False
    env.company.neiqin_auto_approve = True
    # The generated orders were paid when the data was made: the hold after
    # payment would stop them for a while, then not, as the clock goes.
    env.ref("neiqin_orders.rule_order_paid_recently").hold_minutes_after_payment = 0


def _ours(env):
    env["sale.order"]._cron_neiqin_review()


def _naive(env):
    for order in env["sale.order"].search(SCOPE):
        order._neiqin_review()


FINDINGS = """
    l AS (
        SELECT l.*, t.list_price, t.neiqin_price_floor, t.is_storable, t.sale_ok,
               p.active AND t.active AS product_active
          FROM sale_order_line l
          JOIN o ON o.id = l.order_id
          JOIN product_product p ON p.id = l.product_id
          JOIN product_template t ON t.id = p.product_tmpl_id
         WHERE l.display_type IS NULL
    ),
    free AS (
        SELECT q.product_id, SUM(q.quantity - q.reserved_quantity) AS qty
          FROM stock_quant q
          JOIN stock_location sl ON sl.id = q.location_id AND sl.usage = 'internal'
         WHERE q.product_id IN (SELECT product_id FROM l)
         GROUP BY q.product_id
    ),
    found(order_id, code) AS (
        SELECT DISTINCT l.order_id, 'stock' FROM l LEFT JOIN free f ON f.product_id = l.product_id
         WHERE l.state IN ('draft', 'sent') AND l.is_storable
           AND COALESCE(f.qty, 0) < l.product_uom_qty
        UNION ALL
        SELECT o.id, 'address' FROM o JOIN res_partner a ON a.id = o.partner_shipping_id
          LEFT JOIN res_country c ON c.id = a.country_id
         WHERE COALESCE(btrim(a.street), '') = '' OR COALESCE(btrim(a.city), '') = ''
            OR a.country_id IS NULL OR (c.zip_required AND COALESCE(btrim(a.zip), '') = '')
            OR (c.state_required AND a.state_id IS NULL)
        UNION ALL
        SELECT o.id, 'phone' FROM o JOIN res_partner a ON a.id = o.partner_shipping_id
         WHERE NOT COALESCE(a.neiqin_phone_valid, false)
        UNION ALL
        SELECT o.id, 'remark' FROM o
         WHERE o.neiqin_buyer_remark IS NOT NULL AND NOT COALESCE(o.neiqin_remark_read, false)
        UNION ALL
        SELECT o.id, 'refund' FROM o WHERE o.neiqin_refund_state IN ('requested', 'in_progress')
        UNION ALL
        SELECT o.id, 'blacklist' FROM o JOIN res_partner p ON p.id = o.partner_id
          JOIN res_partner cp ON cp.id = p.commercial_partner_id
         WHERE cp.neiqin_blacklisted
        UNION ALL
        SELECT o.id, 'duplicate' FROM o
          JOIN res_partner p ON p.id = o.partner_id
          JOIN res_partner a ON a.id = o.partner_shipping_id
         WHERE EXISTS (
            SELECT 1 FROM res_partner p2
              JOIN sale_order o2 ON o2.partner_id = p2.id
              JOIN res_partner a2 ON a2.id = o2.partner_shipping_id
             WHERE p2.commercial_partner_id = p.commercial_partner_id
               AND o2.id <> o.id AND o2.state <> 'cancel'
               AND o2.date_order BETWEEN o.date_order - interval '24 hours'
                                     AND o.date_order + interval '24 hours'
               AND (a2.id = a.id OR (lower(btrim(a2.street)) = lower(btrim(a.street))
                                     AND COALESCE(a2.zip, '') = COALESCE(a.zip, ''))))
        UNION ALL
        SELECT DISTINCT l.order_id, 'price' FROM l
         WHERE NOT COALESCE(l.is_downpayment, false)
           AND ((l.neiqin_price_floor > 0
                 AND l.price_unit * (1 - COALESCE(l.discount, 0) / 100) < l.neiqin_price_floor)
             OR (l.list_price > 0
                 AND abs(l.price_unit * (1 - COALESCE(l.discount, 0) / 100) - l.list_price)
                     > l.list_price * 0.3))
        UNION ALL
        SELECT o.id, 'amount' FROM o WHERE o.amount_total > 50000
        UNION ALL
        SELECT DISTINCT l.order_id, 'product' FROM l WHERE NOT l.product_active OR NOT l.sale_ok
        UNION ALL
        SELECT o.id, 'payment' FROM o WHERE o.neiqin_payment_state IN ('partial', 'over')
        UNION ALL
        SELECT o.id, 'address_keywords' FROM o JOIN res_partner a ON a.id = o.partner_shipping_id
         WHERE concat_ws(E'\n', a.name, a.street, a.street2, a.city) ILIKE ANY(%(keywords)s)
        UNION ALL
        SELECT DISTINCT l.order_id, 'manual_review_product' FROM l
          JOIN product_product p ON p.id = l.product_id
          JOIN product_template t ON t.id = p.product_tmpl_id
          LEFT JOIN product_category c ON c.id = t.categ_id
         WHERE t.id = ANY(%(manual_templates)s) OR c.parent_path LIKE ANY(%(manual_paths)s)
        UNION ALL
        SELECT o.id, 'seller_flag' FROM o WHERE o.neiqin_seller_flag = 'red'
        UNION ALL
        SELECT o.id, 'on_hold' FROM o
         WHERE o.neiqin_held_at IS NOT NULL AND o.state IN ('draft', 'sent')
    )
"""


# The review strategies' settings, as the rules hold them (the hold after
# payment is off in this run: see _setup).
def _strategy_params(env):
    from odoo.tools.sql import escape_psql

    keywords = env.ref("neiqin_orders.rule_order_address_keywords")
    manual = env.ref("neiqin_orders.rule_order_manual_review_product")
    return {
        "keywords": [f"%{escape_psql(w)}%" for w in keywords._address_keywords()]
        if keywords.active
        else [],
        "manual_templates": manual.manual_review_product_ids.ids if manual.active else [],
        "manual_paths": [f"{c.parent_path}%" for c in manual.manual_review_categ_ids]
        if manual.active
        else [],
    }


# The first active dispatch rule of the order's company (by sequence) whose
# conditions all hold, every condition type of neiqin.dispatch.rule included.
DISPATCH = """
          JOIN res_partner a ON a.id = o.partner_shipping_id
          LEFT JOIN LATERAL (
            SELECT r.carrier_id, r.warehouse_id FROM neiqin_dispatch_rule r
             WHERE r.active AND r.company_id = o.company_id
               AND (NOT EXISTS (SELECT 1 FROM neiqin_dispatch_rule_res_country_rel x
                                 WHERE x.neiqin_dispatch_rule_id = r.id)
                    OR EXISTS (SELECT 1 FROM neiqin_dispatch_rule_res_country_rel x
                                WHERE x.neiqin_dispatch_rule_id = r.id
                                  AND x.res_country_id = a.country_id))
               AND (NOT EXISTS (SELECT 1 FROM neiqin_dispatch_rule_res_country_state_rel x
                                 WHERE x.neiqin_dispatch_rule_id = r.id)
                    OR EXISTS (SELECT 1 FROM neiqin_dispatch_rule_res_country_state_rel x
                                WHERE x.neiqin_dispatch_rule_id = r.id
                                  AND x.res_country_state_id = a.state_id))
               AND (COALESCE(btrim(r.zip_prefixes), '') = ''
                    OR EXISTS (SELECT 1 FROM unnest(string_to_array(r.zip_prefixes, ',')) z(p)
                                WHERE btrim(z.p) <> ''
                                  AND starts_with(COALESCE(a.zip, ''), btrim(z.p))))
               AND ((COALESCE(r.min_weight, 0) = 0 AND COALESCE(r.max_weight, 0) = 0)
                    OR (SELECT COALESCE(SUM(p.weight * l.product_uom_qty), 0)
                          FROM sale_order_line l JOIN product_product p ON p.id = l.product_id
                         WHERE l.order_id = o.id)
                       BETWEEN COALESCE(r.min_weight, 0)
                           AND COALESCE(NULLIF(r.max_weight, 0), 'infinity'))
               AND o.amount_total >= COALESCE(r.min_amount, 0)
               AND (COALESCE(r.max_amount, 0) = 0 OR o.amount_total <= r.max_amount)
               AND (NOT EXISTS (SELECT 1 FROM neiqin_dispatch_rule_product_product_rel x
                                 WHERE x.neiqin_dispatch_rule_id = r.id)
                    OR EXISTS (SELECT 1 FROM sale_order_line l
                                 JOIN neiqin_dispatch_rule_product_product_rel x
                                   ON x.product_product_id = l.product_id
                                WHERE l.order_id = o.id AND x.neiqin_dispatch_rule_id = r.id))
               AND (NOT EXISTS (SELECT 1 FROM neiqin_dispatch_rule_product_category_rel x
                                 WHERE x.neiqin_dispatch_rule_id = r.id)
                    OR EXISTS (SELECT 1 FROM sale_order_line l
                                 JOIN product_product p ON p.id = l.product_id
                                 JOIN product_template t ON t.id = p.product_tmpl_id
                                 JOIN product_category c ON c.id = t.categ_id
                                 JOIN neiqin_dispatch_rule_product_category_rel x
                                   ON x.neiqin_dispatch_rule_id = r.id
                                 JOIN product_category rc ON rc.id = x.product_category_id
                                WHERE l.order_id = o.id
                                  AND starts_with(c.parent_path, rc.parent_path)))
             ORDER BY r.sequence, r.id
             LIMIT 1
          ) d ON TRUE
"""
RULE_CODES = (
    "stock",
    "address",
    "phone",
    "remark",
    "refund",
    "blacklist",
    "duplicate",
    "price",
    "amount",
    "product",
    "payment",
    "address_keywords",
    "manual_review_product",
    "seller_flag",
    "on_hold",
)


def _lower_bound(env):
    rules = {code: env.ref(f"neiqin_orders.rule_order_{code}").id for code in RULE_CODES}
    return SQL(
        """
        WITH o AS (%(open)s),
        %(findings)s,
        bad AS (
            SELECT DISTINCT f.order_id, r.id AS rule_id, r.severity
              FROM found f
              JOIN (SELECT key AS code, value::int AS rule_id FROM jsonb_each_text(%(rules)s))
                   c ON c.code = f.code
              JOIN neiqin_dq_rule r ON r.id = c.rule_id AND r.active
        ),
        closed AS (
            UPDATE neiqin_dq_issue i SET state = 'closed', closed_at = now() AT TIME ZONE 'UTC'
             WHERE i.res_model = 'sale.order' AND i.state = 'open'
               AND i.res_id IN (SELECT id FROM o)
               AND NOT EXISTS (SELECT 1 FROM bad WHERE bad.order_id = i.res_id
                                                   AND bad.rule_id = i.rule_id)
            RETURNING i.id
        ),
        opened AS (
            INSERT INTO neiqin_dq_issue (rule_id, res_model, res_id, res_name, company_id,
                                         severity, state, found_at, reopen_count,
                                         create_uid, write_uid, create_date, write_date)
            SELECT bad.rule_id, 'sale.order', o.id, o.name, o.company_id, bad.severity, 'open',
                   now() AT TIME ZONE 'UTC', 0, %(uid)s, %(uid)s,
                   now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM bad JOIN o ON o.id = bad.order_id
             WHERE NOT EXISTS (SELECT 1 FROM neiqin_dq_issue i
                                WHERE i.res_model = 'sale.order' AND i.res_id = bad.order_id
                                  AND i.rule_id = bad.rule_id)
            RETURNING id
        ),
        blocked AS (SELECT DISTINCT order_id FROM bad WHERE severity = 'blocking'),
        verdict AS (
            SELECT o.id, b.order_id IS NOT NULL AS blocked, d.carrier_id, d.warehouse_id
              FROM o LEFT JOIN blocked b ON b.order_id = o.id
              %(dispatch)s
        ),
        reviewed AS (
            UPDATE sale_order s
               SET neiqin_review_state = CASE WHEN v.blocked THEN 'exception' ELSE 'approved' END,
                   neiqin_reviewed_by_id = CASE WHEN v.blocked THEN s.neiqin_reviewed_by_id
                                                ELSE %(uid)s END,
                   neiqin_reviewed_at = CASE WHEN v.blocked THEN s.neiqin_reviewed_at
                                             ELSE now() AT TIME ZONE 'UTC' END,
                   carrier_id = CASE WHEN v.blocked THEN s.carrier_id
                                     ELSE COALESCE(v.carrier_id, s.carrier_id) END,
                   warehouse_id = CASE WHEN v.blocked OR s.state NOT IN ('draft', 'sent')
                                       THEN s.warehouse_id
                                       ELSE COALESCE(v.warehouse_id, s.warehouse_id) END,
                   write_uid = %(uid)s,
                   write_date = now() AT TIME ZONE 'UTC'
              FROM verdict v
             WHERE s.id = v.id
            RETURNING s.id
        )
        SELECT (SELECT count(*) FROM closed), (SELECT count(*) FROM opened),
               (SELECT count(*) FROM reviewed)
        """,
        open=SQL(OPEN_ORDERS),
        findings=SQL(FINDINGS, **_strategy_params(env)),
        dispatch=SQL(DISPATCH),
        rules=json.dumps(rules),
        uid=env.uid,
    )


def _sql(env):
    # A lower bound: no JIT compilation, which PostgreSQL would otherwise
    # spend seconds on for this statement's cost estimate.
    env.cr.execute("SET LOCAL jit = off")
    env.cr.execute(_lower_bound(env))
    env.cr.fetchall()


PEER_RULES = [
    (
        "stock",
        "by_py_code",
        "failed = any(line.product_id.is_storable and line.product_uom_qty > "
        "line.product_id.with_context(warehouse_id=object.warehouse_id.id).free_qty "
        "for line in object.order_line)",
    ),
    (
        "address",
        "by_domain",
        "['|', '|', '|', ('partner_shipping_id.street', '=', False), "
        "('partner_shipping_id.city', '=', False), ('partner_shipping_id.country_id', '=', False), "
        "('partner_shipping_id.zip', '=', False)]",
    ),
    (
        "phone",
        "by_domain",
        "[('partner_shipping_id.phone', '=', False), ('partner_shipping_id.mobile', '=', False)]",
    ),
    (
        "remark",
        "by_domain",
        "[('neiqin_buyer_remark', '!=', False), ('neiqin_remark_read', '=', False)]",
    ),
    ("refund", "by_domain", "[('neiqin_refund_state', 'in', ('requested', 'in_progress'))]"),
    (
        "blacklist",
        "by_domain",
        "[('partner_id.commercial_partner_id.neiqin_blacklisted', '=', True)]",
    ),
    (
        "duplicate",
        "by_py_code",
        "others = object.search([('id', '!=', object.id), ('state', '!=', 'cancel'), "
        "('partner_id.commercial_partner_id', '=', object.partner_id.commercial_partner_id.id), "
        "('partner_shipping_id', '=', object.partner_shipping_id.id)])\n"
        "failed = any(abs((other.date_order - object.date_order).total_seconds()) <= 86400 "
        "for other in others)",
    ),
    (
        "price",
        "by_py_code",
        "failed = any((line.product_id.neiqin_price_floor > 0 and line.price_reduce_taxexcl "
        "< line.product_id.neiqin_price_floor) or (line.product_id.list_price > 0 and "
        "abs(line.price_reduce_taxexcl - line.product_id.list_price) > "
        "line.product_id.list_price * 0.3) for line in object.order_line)",
    ),
    ("amount", "by_domain", "[('amount_total', '>', 50000)]"),
    (
        "product",
        "by_domain",
        "['|', ('order_line.product_id.active', '=', False), "
        "('order_line.product_id.sale_ok', '=', False)]",
    ),
    ("payment", "by_domain", "[('neiqin_payment_state', 'in', ('partial', 'over'))]"),
]


def _peer_setup(env):
    _setup(env)
    Rule = env["exception.rule"].with_context(active_test=False)
    Rule.search([]).write({"active": False})
    Rule.create(
        [
            {
                "name": f"Bench {name}",
                "model": "sale.order",
                "exception_type": kind,
                "domain" if kind == "by_domain" else "code": text,
                "is_blocking": True,
            }
            for name, kind, text in PEER_RULES
        ]
    )


def _peer(env):
    from odoo.addons.base_exception.exceptions import BaseExceptionError

    orders = env["sale.order"].search(SCOPE)
    # sale_exception writes its findings through a second connection and
    # commits them, unless in test mode: keep them in this transaction (so
    # the run is undone like the others, and costs no extra connection).
    previous = config["test_enable"]
    config["test_enable"] = True
    try:
        orders.detect_exceptions()
    except BaseExceptionError:
        pass  # raised, as on confirmation, because orders have exceptions
    finally:
        config["test_enable"] = previous


SCENARIOS = [
    Scenario(
        name="order review, every rule",
        records=_count,
        setup=_setup,
        ours=_ours,
        naive=_naive,
        sql=_sql,
        peer=_peer,
        peer_name="OCA sale_exception",
        peer_setup=_peer_setup,
        notes="review cron: a constant number of queries per batch of 50,000 orders",
        # A tiny data set is one batch: a constant number of queries (about
        # 290 with the sixteen shipped rules, the pricelist's questions and
        # the approvals' chatter; the same for four times the orders).
        max_queries=320,
    )
]
