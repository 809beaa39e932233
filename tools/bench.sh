#!/usr/bin/env bash
# make bench: a benchmark database per scale (a copy of the installed test
# template, filled once with generated data), then every scenario.
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=/dev/null
. "$DATA/pg.env"
SCALE="${SCALE:-1}"
db="$("$ROOT/tools/db.sh" bench-db "$SCALE")"
cd "$ROOT"
"$VENV/bin/python" -m bench.runner "$db" "$SCALE" "$ROOT/bench/out"
