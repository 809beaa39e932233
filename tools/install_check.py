"""Each Neiqin add-on installs on its dependencies alone and uninstalls
cleanly (`tools/install_check.sh`, run by tests/test_install_uninstall.py).

On a database where the add-ons' dependencies are installed and no Neiqin
add-on is, each command runs in its own process, as Odoo's installer does:

  install MODULE     install MODULE, put some of its documents through its
                     process (as a database in use has), then check
  uninstall MODULE   uninstall MODULE, then check; nothing of MODULE may be
                     left in ir.model.data
  check              every view validates; every scheduled action and every
                     window action names a model (and methods) that exist

Usage: python tools/install_check.py CONF DB COMMAND [MODULE]
Prints what is wrong, one line each, and exits 1 when something is."""

import re
import sys

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.tools import config

# model.<method>( in a scheduled action's code.
CALLED = re.compile(r"\bmodel\.(\w+)\s*\(")


def check(env):
    """What installing or removing a module may have broken."""
    problems = []
    View = env["ir.ui.view"].with_context(load_all_views=True)
    for view in View.search([("type", "!=", "qweb"), ("mode", "=", "primary")]):
        if view.model and view.model not in env:
            problems.append(f"view {view.xml_id or view.id} is of a missing model {view.model}")
            continue
        try:
            with env.cr.savepoint():
                view._check_xml()
        except Exception as error:  # noqa: BLE001 - whatever breaks a view is reported
            problems.append(f"view {view.xml_id or view.id} is invalid: {error}")
    for cron in env["ir.cron"].with_context(active_test=False).search([]):
        model = cron.model_id.model
        if model not in env:
            problems.append(f"scheduled action {cron.name!r} runs on a missing model {model}")
            continue
        for method in CALLED.findall(cron.code or ""):
            if not callable(getattr(env[model], method, None)):
                problems.append(f"scheduled action {cron.name!r} calls a missing {model}.{method}")
    for action in env["ir.actions.act_window"].search([]):
        if action.res_model not in env:
            problems.append(f"window action {action.xml_id or action.id} opens a missing model")
    return problems


def use_neiqin_base(env):
    task = env["neiqin.task"].create({"name": "Install check"})
    task.action_start()


def use_neiqin_orders(env):
    env.company.neiqin_review_scope = "all"
    partner = env["res.partner"].create({"name": "Install Check Buyer"})
    product = env["product.product"].create({"name": "Install Check Tee", "list_price": 10})
    order = env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
        }
    )
    assert order.neiqin_step_log_ids, "a new order entered no step"


USE = {"neiqin_base": use_neiqin_base, "neiqin_orders": use_neiqin_orders}


def run(db, command, name):
    if command in ("install", "uninstall"):
        with Registry(db).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            module = env["ir.module.module"].search([("name", "=", name)])
            if not module:
                return [f"no module {name}"]
            if command == "install":
                module.button_immediate_install()
            else:
                module.button_immediate_uninstall()
    elif command != "check":
        raise SystemExit(__doc__)
    with Registry(db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if command == "install" and name in USE:
            USE[name](env)
            cr.commit()
        problems = check(env)
        if command == "uninstall":
            left = env["ir.model.data"].search([("module", "=", name)])
            problems += [f"{name} left {data.complete_name} ({data.model})" for data in left]
        cr.rollback()
    return problems


def main(conf, db, command, name=None):
    config.parse_config(["-c", conf, "--no-http", "--log-level=warn"])
    odoo.service.server.load_server_wide_modules()
    problems = run(db, command, name)
    for problem in problems:
        print(f"{command} {name or ''}: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
