from .engine import scan_index


def uninstall_hook(env):
    """No rule is left to read through the indexes the engine built: drop
    them (those it tagged only; see engine/scan_index.py)."""
    for name, there in scan_index.found_indexes(env.cr, ()).items():
        if there.tagged:
            env.cr.execute(scan_index.drop_sql(name, concurrently=False))
    env["ir.config_parameter"].sudo().set_param("neiqin_base.dq_scan_index_building", False)
