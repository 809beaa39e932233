# Shared helpers for the project's shell tools. Sourced, not executed.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/.data"
VENV="$ROOT/.venv"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/neiqin"
ODOO_CACHE="$CACHE_DIR/odoo-18.0"
ODOO_NIGHTLY_URL="${ODOO_NIGHTLY_URL:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz}"

say() { printf '\033[1m[neiqin]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[neiqin] error:\033[0m %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# The addons every Neiqin database gets: every add-on folder under addons/.
neiqin_modules() {
    local m out=""
    for m in "$ROOT"/addons/*/__manifest__.py; do
        [ -e "$m" ] || continue
        m="$(basename "$(dirname "$m")")"
        out="${out:+$out,}$m"
    done
    printf '%s' "$out"
}

# A short digest of files' contents (paths relative to ROOT), stable across clones.
content_hash() {
    # Tests, tours and readmes do not change what an install writes.
    (cd "$ROOT" && find "$@" -type f ! -name '*.pyc' ! -path '*/__pycache__/*' ! -path '*/tests/*' \
        ! -path '*/readme/*' -print0 2>/dev/null \
        | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-12
}
