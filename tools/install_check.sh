#!/usr/bin/env bash
# Each Neiqin add-on installs on its dependencies alone, into a fresh
# database without demo data (as production databases are), and uninstalls
# without leaving invalid views, scheduled actions or window actions on a
# missing model or method, nor any of its XML ids. The add-ons are installed
# one by one in dependency order, each put to use, then uninstalled in the
# reverse order; tools/install_check.py checks after each step.
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=/dev/null
. "$DATA/pg.env"
cd "$ROOT"

db=neiqin_install_check
conf="$DATA/odoo.conf"
PY="$VENV/bin/python"

# The add-ons, dependencies first.
order="$("$PY" - "$ROOT/addons" <<'PY'
import ast, os, sys
root = sys.argv[1]
deps = {}
for name in sorted(os.listdir(root)):
    path = os.path.join(root, name, "__manifest__.py")
    if os.path.isfile(path):
        with open(path) as manifest:
            deps[name] = [d for d in ast.literal_eval(manifest.read()).get("depends", []) if d.startswith("neiqin_")]
done = []
def visit(name):
    if name not in done:
        for dep in deps[name]:
            visit(dep)
        done.append(name)
for name in deps:
    visit(name)
print(" ".join(done))
PY
)"
read -r -a mods <<<"$order"

t0=$SECONDS
tools/db.sh drop "$db"
# The database and Odoo's own modules; the first add-on is installed by the
# check below, as every other.
"$PY" "$VENV/bin/odoo" -c "$conf" -d "$db" -i base --without-demo=all --stop-after-init \
    --no-http --log-level=warn
failed=0
step() {
    say "$1 $2 ($((SECONDS - t0)) s)"
    "$PY" tools/install_check.py "$conf" "$db" "$@" || failed=1
}
for m in "${mods[@]}"; do step install "$m"; done
for ((i = ${#mods[@]} - 1; i >= 0; i--)); do step uninstall "${mods[i]}"; done
((failed == 0)) || die "install/uninstall check failed (database $db kept)"
tools/db.sh drop "$db"
say "every add-on installed and uninstalled cleanly in $((SECONDS - t0)) s"
