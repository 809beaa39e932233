"""Since 18.0.1.3.0 the engine tags the scan indexes it builds, and drops
the tagged ones no rule needs any more, outside the request. Tag those it
built before: the names it computes for the rules of the database, archived
ones included, that exist and have no tag yet. Then let the scheduled
action build and drop what the rules need."""

from odoo import SUPERUSER_ID, api

from odoo.addons.neiqin_base.engine import scan_index


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    rules = env["neiqin.dq.rule"].with_context(active_test=False).search([])
    specs = rules._scan_index_specs()
    for name, there in scan_index.found_indexes(cr, specs).items():
        if name in specs and there.table == specs[name].table and not there.tagged:
            cr.execute(scan_index.tag_sql(name))
    env.ref("neiqin_base.ir_cron_neiqin_dq_scan_indexes")._trigger()
