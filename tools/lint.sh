#!/usr/bin/env bash
# Lints the whole repository: ruff (check and format), pylint-odoo on every add-on,
# and XML well-formedness. Every step runs; the script fails at the end if any did.
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "$0")/common.sh"
cd "$ROOT"

[ -x "$VENV/bin/ruff" ] || die "ruff is not installed in $VENV: run make setup"
[ -x "$VENV/bin/pylint" ] || die "pylint-odoo is not installed in $VENV: run make setup"

failed=()

say "ruff check"
"$VENV/bin/ruff" check . || failed+=(ruff-check)

say "ruff format --check"
"$VENV/bin/ruff" format --check . || failed+=(ruff-format)

addons=()
for manifest in addons/*/__manifest__.py; do
    [ -e "$manifest" ] && addons+=("$(dirname "$manifest")")
done
if ((${#addons[@]})); then
    say "pylint-odoo on ${#addons[@]} add-on(s)"
    "$VENV/bin/pylint" --rcfile="$ROOT/.pylintrc" "${addons[@]}" || failed+=(pylint-odoo)
else
    say "pylint-odoo: no add-on under addons/, skipped"
fi

# Tracked XML files, plus new ones not yet added (but not ignored ones), so the
# check also covers work in progress.
say "XML well-formedness"
git ls-files -z --cached --others --exclude-standard -- '*.xml' \
    | "$VENV/bin/python" -c '
import sys
from lxml import etree

names = [n for n in sys.stdin.buffer.read().decode().split("\0") if n]
bad = 0
for name in names:
    try:
        etree.parse(name)
    except (OSError, etree.XMLSyntaxError) as exc:
        bad += 1
        print(f"{name}: {exc}", file=sys.stderr)
print(f"{len(names)} XML file(s) checked, {bad} not well-formed", file=sys.stderr)
sys.exit(1 if bad else 0)
' || failed+=(xml)

if ((${#failed[@]})); then
    die "lint failed: ${failed[*]}"
fi
say "lint passed"
