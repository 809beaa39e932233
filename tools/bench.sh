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
# ONLY=word,word runs just the scenarios whose names hold one of the words;
# WAYS=ours,sql just those ways of running them (a partial run's JSON is
# written apart, as results-scale-N-partial.json).
"$VENV/bin/python" -m bench.runner "$db" "$SCALE" "$ROOT/bench/out" "${ONLY:-}"
