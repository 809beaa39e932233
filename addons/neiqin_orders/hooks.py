from odoo import fields

from odoo.addons.neiqin_base.engine.guard import engine_writes

# The rights the order desk adds to the back-office clerk (security/groups.xml).
DESK_GROUPS = (
    "sales_team.group_sale_salesman_all_leads",
    "stock.group_stock_user",
    "base.group_partner_manager",
)


def uninstall_hook(env):
    """The clerk's role no longer carries the order desk's rights (the
    users keep the groups they were given, as Odoo does).

    Orders no longer go through the order process, but their passages
    through it are the back office's audit trail (responsibility records
    and appraisals refer to them), and a step log cannot be deleted: the
    order process and its steps, when some order passed through them, are
    kept archived, without this module's XML ids (Odoo would try to delete
    them with the module's data). The passages still open are cancelled,
    so that no one is alerted about an order any more. Installed again,
    the module makes a new order process."""
    clerk = env.ref("neiqin_base.group_neiqin_clerk", raise_if_not_found=False)
    desk = [env.ref(xmlid, raise_if_not_found=False) for xmlid in DESK_GROUPS]
    if clerk:
        clerk.implied_ids -= env["res.groups"].union(*filter(None, desk))
    data = env["ir.model.data"].search(
        [("module", "=", "neiqin_orders"), ("model", "=", "neiqin.process")]
    )
    Process = env["neiqin.process"].with_context(active_test=False)
    processes = Process.browse(data.mapped("res_id")).exists()
    Log = env["neiqin.step.log"]
    used = processes.filtered(lambda p: Log.search_count([("process_id", "=", p.id)], limit=1))
    if not used:
        return
    open_logs = Log.search([("process_id", "in", used.ids), ("state", "in", ("open", "paused"))])
    with engine_writes():
        open_logs.write({"state": "cancel", "done_at": fields.Datetime.now(), "paused_at": False})
    used.active = False
    steps = used.with_context(active_test=False).step_ids
    env["ir.model.data"].search(
        [
            ("module", "=", "neiqin_orders"),
            "|",
            "&",
            ("model", "=", "neiqin.process"),
            ("res_id", "in", used.ids),
            "&",
            ("model", "=", "neiqin.process.step"),
            ("res_id", "in", steps.ids),
        ]
    ).unlink()
