#!/usr/bin/env bash
# Regenerates addons/<module>/i18n/<module>.pot for every Neiqin add-on from a
# copy of the installed test template, and merges new terms into the existing
# zh_CN.po and zh_TW.po (msgmerge-like, with Odoo's own .po tooling).
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=/dev/null
. "$DATA/pg.env"
"$ROOT/tools/db.sh" test-db >/dev/null
for mod in $(neiqin_modules | tr ',' ' '); do
    mkdir -p "$ROOT/addons/$mod/i18n"
    "$VENV/bin/python" "$VENV/bin/odoo" -c "$DATA/odoo.conf" -d neiqin_test --no-http --log-level=warn \
        --i18n-export="$ROOT/addons/$mod/i18n/$mod.pot" --modules="$mod" --stop-after-init
    for lang in zh_CN zh_TW; do
        "$VENV/bin/python" "$ROOT/tools/po_merge.py" "$ROOT/addons/$mod/i18n/$mod.pot" "$ROOT/addons/$mod/i18n/$lang.po" "$lang"
    done
    say "$mod: $(grep -c '^msgid ' "$ROOT/addons/$mod/i18n/$mod.pot") terms"
done
