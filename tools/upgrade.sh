#!/usr/bin/env bash
# make test-upgrade: a database installed (with demo data) from the add-ons
# of an earlier commit, then updated with this tree's add-ons, as a
# production database is. It fails unless every process, step and step log
# of the old database is still there with the same ids and settings, no
# process code is shipped twice, and every Neiqin add-on is at the version
# of its manifest.
#   UPGRADE_FROM   the earlier commit (default: the parent of the last
#                  commit that changed an add-on's version, so that the
#                  newest migration scripts run)
#   UPGRADE_MODULES  what -u updates (default: all)
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=/dev/null
. "$DATA/pg.env"
cd "$ROOT"

from="${UPGRADE_FROM:-$(git log -1 --format=%H -G'"version"' -- 'addons/*/__manifest__.py')^}"
from="$(git rev-parse --verify --quiet "$from^{commit}")" || die "UPGRADE_FROM: no commit ${UPGRADE_FROM:-}"
db=neiqin_upgrade
old="$DATA/upgrade-from"
conf="$DATA/odoo.conf"
odoo_addons="$(sed -n 's/^addons_path = //p' "$conf" | tr ',' '\n' | grep -v "^$ROOT/addons$" | paste -sd,)"
ODOO=("$VENV/bin/python" "$VENV/bin/odoo" -c "$conf" -d "$db" --stop-after-init --no-http --log-level=warn)
q() { psql -d "$db" -XAtqc "$1"; }

rm -rf "$old" && mkdir -p "$old"
git archive "$from" addons | tar -x -C "$old"
mods="$(cd "$old/addons" && ls -d */__manifest__.py | cut -d/ -f1 | paste -sd,)"
say "installing $mods from $(git log -1 --format='%h %s' "$from" | cut -c1-72)"
t0=$SECONDS
tools/db.sh drop "$db"
"${ODOO[@]}" -i "$mods" --addons-path="$old/addons,$odoo_addons" \
    || die "installing the add-ons of $from failed (see above)"
say "installed in $((SECONDS - t0)) s"

# A manager's settings, which an update must keep: every step's deadline.
q "UPDATE neiqin_process_step SET deadline_hours = deadline_hours + 0.5"
snapshot() {
    q "SELECT 'process', id, code, company_id, active, model_name FROM neiqin_process ORDER BY id"
    q "SELECT 'step', id, process_id, code, active, deadline_hours, owner_type, owner_team_id
         FROM neiqin_process_step ORDER BY id"
    q "SELECT 'log', id, process_id, step_id, res_model, res_id, state, deadline_at
         FROM neiqin_step_log ORDER BY id"
    # The sales platforms, whichever add-on ships them, keep their ids (orders,
    # notices and connectors' users point at them).
    q "SELECT 'platform', id, code, active FROM neiqin_platform ORDER BY id" 2>/dev/null || true
}
snapshot >"$old/before.txt"
# The customer notices sent before the outbox existed: each must be in it.
q "SELECT 'notice', order_id, kind FROM neiqin_order_notice ORDER BY 2, 3" 2>/dev/null \
    | sort >"$old/notices-before.txt" || true
# The completeness scores of products stored on product_template before
# neiqin_catalog 18.0.1.1.0: each product must have one in the scores table
# afterwards (its value may change: the update may bring new standards).
q "SELECT 'score', id FROM product_template
    WHERE neiqin_completeness IS NOT NULL ORDER BY 2" 2>/dev/null \
    | sort >"$old/scores-before.txt" || true
say "$(grep -c '^process' "$old/before.txt") processes, $(grep -c '^step' "$old/before.txt") steps, $(grep -c '^log' "$old/before.txt") step logs before the update"

t0=$SECONDS
"${ODOO[@]}" -u "${UPGRADE_MODULES:-all}" || die "updating the database failed (see above)"
say "updated in $((SECONDS - t0)) s"

failed=0
say "processes after the update: $(q "SELECT string_agg(p.code || '=' || coalesce(d.module || '.' || d.name, 'no XML id'), ', ' ORDER BY p.id)
    FROM neiqin_process p LEFT JOIN ir_model_data d ON d.model = 'neiqin.process' AND d.res_id = p.id")"
snapshot >"$old/after.txt"
# What the update adds (the new demo records' steps, say) is not checked;
# what it had must still be there, unchanged.
changed="$(comm -23 <(sort "$old/before.txt") <(sort "$old/after.txt"))"
if [ -n "$changed" ]; then
    say "processes, steps or step logs lost or changed by the update:"; echo "$changed" >&2; failed=1
fi
q "SELECT 'notice', res_id, kind FROM neiqin_notice WHERE res_model = 'sale.order' ORDER BY 2, 3" \
    | sort >"$old/notices-after.txt"
lost="$(comm -23 "$old/notices-before.txt" "$old/notices-after.txt")"
[ -z "$lost" ] || { say "customer notices lost by the update:"; echo "$lost" >&2; failed=1; }
if [ -s "$old/scores-before.txt" ]; then
    q "SELECT 'score', product_tmpl_id FROM neiqin_product_completeness ORDER BY 2" \
        | sort >"$old/scores-after.txt"
    lost="$(comm -23 "$old/scores-before.txt" "$old/scores-after.txt")"
    [ -z "$lost" ] || { say "completeness scores lost by the update:"; echo "$lost" >&2; failed=1; }
    left="$(q "SELECT string_agg(column_name, ', ') FROM information_schema.columns
        WHERE table_name = 'product_template' AND column_name LIKE 'neiqin\_completeness%'")"
    [ -z "$left" ] || { say "product_template still has the old score columns: $left"; failed=1; }
fi
# Odoo updates a module whose new demo data fails without it, and only logs it.
demo="$(q "SELECT m.name FROM ir_demo_failure f JOIN ir_module_module m ON m.id = f.module_id")"
[ -z "$demo" ] || { say "demo data failed to load during the update: $demo"; failed=1; }
twice="$(q "SELECT code FROM neiqin_process WHERE active GROUP BY code, company_id HAVING count(*) > 1")"
orphans="$(q "SELECT p.code FROM neiqin_platform p WHERE NOT EXISTS (SELECT 1 FROM ir_model_data d
    WHERE d.model = 'neiqin.platform' AND d.res_id = p.id) AND p.code IN ('tmall', 'jd', 'pdd')")"
[ -z "$orphans" ] || { say "shipped platforms left without their XML id: $orphans"; failed=1; }
[ -z "$twice" ] || { say "process codes made twice: $twice"; failed=1; }
for m in addons/*/__manifest__.py; do
    name="$(basename "$(dirname "$m")")"
    want="$("$VENV/bin/python" -c 'import ast,sys; print(ast.literal_eval(open(sys.argv[1]).read())["version"])' "$m")"
    got="$(q "SELECT latest_version FROM ir_module_module WHERE name = '$name' AND state = 'installed'")"
    # A new add-on is not installed by the update: nothing to compare.
    [[ ",$mods," == *",$name,"* ]] || continue
    [ "$got" = "$want" ] || { say "$name is at '$got' after the update, its manifest says $want"; failed=1; }
done
((failed == 0)) || die "the update from $from lost or changed data (database $db kept)"
say "upgrade from $(git rev-parse --short "$from") kept every process, step, step log and platform"
tools/db.sh drop "$db"
