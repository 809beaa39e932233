#!/usr/bin/env bash
# Runs every test with pytest-odoo on the database neiqin_test.
set -uo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=/dev/null
. "$DATA/pg.env"
cd "$ROOT"
export NEIQIN_ROOT="$ROOT"
"$VENV/bin/python" -m pytest \
    --odoo-config="$DATA/odoo.conf" --odoo-database=neiqin_test --odoo-http \
    "$@"
status=$?
# pytest's 5 means "no test collected": that is a failure here too.
exit $status
