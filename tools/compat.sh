#!/usr/bin/env bash
# make test-compat: Odoo's own tests of the modules Neiqin extends, run on a
# copy of the test template (every Neiqin add-on installed) and compared
# with the same tests on the same Odoo modules without Neiqin. Fails on any
# test that passes without Neiqin and fails with it.
#   COMPAT_MODULES="sale sale_stock"   the modules whose tests run
# The baseline's results are kept in the cache (keyed by the virtualenv, the
# modules installed and the test files): a later run only runs the Neiqin side.
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=/dev/null
. "$DATA/pg.env"
cd "$ROOT"

MODULES="${COMPAT_MODULES:-product stock sale sale_stock stock_delivery helpdesk_mgmt helpdesk_mgmt_sale helpdesk_mgmt_rating rma rma_sale}"
OUT="$DATA/compat"
mkdir -p "$OUT" "$CACHE_DIR/compat"

files=()
for module in $MODULES; do
    dir="$("$VENV/bin/python" -c "import odoo.addons.$module as m, os; print(os.path.dirname(m.__file__))")"
    for file in "$dir"/tests/test_*.py; do
        files+=("$file")
    done
done
[ ${#files[@]} -gt 0 ] || die "no test file found for: $MODULES"

# Odoo's tests assert English texts; the templates are made with Chinese as
# their only languages (English inactive, the users' language Chinese):
# both sides run in English, as Odoo's own test databases do.
ENGLISH="UPDATE res_lang SET active = true WHERE code = 'en_US';
UPDATE res_partner SET lang = 'en_US' WHERE id IN (SELECT partner_id FROM res_users);
UPDATE ir_default SET json_value = '\"en_US\"' WHERE field_id IN
    (SELECT id FROM ir_model_fields WHERE model = 'res.partner' AND name = 'lang');"

run_tests() {  # template, junit file, label
    "$ROOT/tools/db.sh" copy "$1" neiqin_compat >/dev/null
    psql -d neiqin_compat -qc "$ENGLISH"
    say "running Odoo's tests of $MODULES $3 (${#files[@]} files)"
    local t0=$SECONDS
    # Failures are expected on both sides: the comparison decides.
    # Rooted at / with no ini file: the test files live in two trees (Odoo's
    # source and the OCA wheels in the virtualenv), and each report names a
    # test by its whole module path (sale.tests.test_sale_flow.TestSaleFlow),
    # not by its class alone, as a root inside one tree would.
    "$VENV/bin/python" -m pytest -q -p no:cacheprovider -c /dev/null --rootdir=/ \
        --odoo-config="$DATA/odoo.conf" \
        --odoo-database=neiqin_compat --odoo-http --junitxml="$2" -o junit_family=xunit1 \
        "${files[@]}" >"$2.log" 2>&1 || true
    say "$(tail -n 1 "$2.log") ($((SECONDS - t0)) s)"
    "$ROOT/tools/db.sh" drop neiqin_compat
}

# The test files' contents, not their paths: the OCA wheels' tests live in
# the checkout's own virtualenv, a clone elsewhere has the same results.
key="$( (echo "$("$ROOT/tools/db.sh" compat-base-name) $ENGLISH rooted"; sha256sum "${files[@]}" | cut -d' ' -f1) \
    | sha256sum | cut -c1-12)"
baseline="$CACHE_DIR/compat/baseline-$key.xml"
if [ ! -s "$baseline" ]; then
    run_tests "$("$ROOT/tools/db.sh" compat-base)" "$OUT/baseline.xml" "without Neiqin"
    cp "$OUT/baseline.xml" "$baseline"
else
    say "baseline without Neiqin: the results kept in the cache ($(basename "$baseline"))"
fi
run_tests "$("$ROOT/tools/db.sh" template)" "$OUT/neiqin.xml" "with every Neiqin add-on"
"$VENV/bin/python" "$ROOT/tools/compat_compare.py" "$baseline" "$OUT/neiqin.xml" \
    "$ROOT/tools/compat_known_failures.txt"
