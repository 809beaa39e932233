#!/usr/bin/env bash
# Idempotent setup shared by `make run` and `make test`:
# system packages, an Odoo 18.0 Community source tree, the virtualenv.
# A second run with nothing to do takes a few seconds.
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "$0")/common.sh"

# ---------------------------------------------------------------- system
# Debian package -> why it is needed.
SYSTEM_PACKAGES=(
    libpq-dev        # psycopg2 build
    libldap2-dev     # python-ldap build
    libsasl2-dev     # python-ldap build
    libjpeg-dev      # Pillow, when no wheel fits
    build-essential  # sdists pinned by Odoo
    postgresql       # server binaries for the private cluster
    wkhtmltopdf      # PDF reports
    fonts-noto-cjk   # Chinese glyphs in PDF reports
    chromium         # browser tours (HttpCase)
)

setup_system() {
    local missing=() p
    for p in "${SYSTEM_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null; then
        say "cannot check system packages here (no apt-get); make sure these are installed: ${missing[*]}"
        return 0
    fi
    if is_root; then
        say "installing system packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        die "missing system packages: ${missing[*]}
    install them with: sudo apt-get install ${missing[*]}"
    fi
}

# ---------------------------------------------------------------- odoo source
# Prints nothing and returns 0 when $1 is an Odoo 18.0 Community tree;
# otherwise prints why not.
check_odoo_tree() {
    local tree="$1"
    [ -f "$tree/odoo/release.py" ] || { echo "no odoo/release.py in $tree"; return 1; }
    grep -Eq '^version_info = \(18, 0,' "$tree/odoo/release.py" \
        || { echo "$tree is not Odoo 18.0 ($(grep -E '^version_info' "$tree/odoo/release.py"))"; return 1; }
    if compgen -G "$tree/odoo/addons/*_enterprise" >/dev/null || compgen -G "$tree/addons/*_enterprise" >/dev/null \
        || grep -qs "Odoo Enterprise Edition License" "$tree/LICENSE"; then
        echo "$tree is Odoo Enterprise; Neiqin needs Odoo 18.0 Community"
        return 1
    fi
    [ -f "$tree/setup.py" ] || { echo "$tree has no setup.py (not an installable source tree)"; return 1; }
}

# Unpacks archive $1 into directory $2 (the tree's top folder becomes $2).
unpack_archive() {
    local archive="$1" dest="$2" tmp
    tmp="$(mktemp -d "$CACHE_DIR/unpack.XXXXXX")"
    case "$archive" in
        *.zip) python3 -m zipfile -e "$archive" "$tmp" ;;
        *) tar -xf "$archive" -C "$tmp" ;;
    esac
    local top
    top="$(find "$tmp" -mindepth 1 -maxdepth 3 -name release.py -path '*/odoo/release.py' -printf '%h\n' | head -n1)"
    [ -n "$top" ] || { rm -rf "$tmp"; echo "no Odoo tree inside $archive"; return 1; }
    top="$(dirname "$top")"
    rm -rf "$dest.new" && mv "$top" "$dest.new"
    rm -rf "$tmp"
}

# Puts a checked Odoo 18.0 Community tree in $ODOO_CACHE, from ODOO_SRC,
# the cache itself, or the official nightly archive, in that order.
setup_odoo_source() {
    mkdir -p "$CACHE_DIR"
    local reasons=() why src="${ODOO_SRC:-}"
    if [ -n "$src" ]; then
        if [ -d "$src" ]; then
            if why="$(check_odoo_tree "$src")"; then
                if [ "$(cd "$src" && pwd -P)" != "$(mkdir -p "$ODOO_CACHE" && cd "$ODOO_CACHE" && pwd -P)" ]; then
                    say "copying the Odoo source tree from ODOO_SRC into the cache"
                    rm -rf "$ODOO_CACHE.new"
                    cp -a "$src/." "$ODOO_CACHE.new/" 2>/dev/null || { mkdir -p "$ODOO_CACHE.new" && cp -a "$src/." "$ODOO_CACHE.new/"; }
                    rm -rf "$ODOO_CACHE" && mv "$ODOO_CACHE.new" "$ODOO_CACHE"
                fi
                return 0
            fi
            reasons+=("ODOO_SRC: $why")
        else
            local archive="$src"
            if [[ "$src" =~ ^(https?|ftp):// ]]; then
                archive="$CACHE_DIR/download.tar.gz"
                say "downloading the Odoo source from ODOO_SRC"
                curl -fsL --retry 2 -o "$archive" "$src" || { reasons+=("ODOO_SRC: download of $src failed"); archive=""; }
            fi
            if [ -n "$archive" ]; then
                if [ -f "$archive" ] && why="$(unpack_archive "$archive" "$ODOO_CACHE")" \
                    && why="$(check_odoo_tree "$ODOO_CACHE.new")"; then
                    rm -rf "$ODOO_CACHE" && mv "$ODOO_CACHE.new" "$ODOO_CACHE"
                    return 0
                fi
                rm -rf "$ODOO_CACHE.new"
                reasons+=("ODOO_SRC: ${why:-$archive is not a file}")
            fi
        fi
        die "ODOO_SRC does not hold an Odoo 18.0 Community source tree: ${reasons[*]}"
    fi
    if [ -d "$ODOO_CACHE" ]; then
        why="$(check_odoo_tree "$ODOO_CACHE")" && return 0
        reasons+=("cache $ODOO_CACHE: $why")
    else
        reasons+=("no cache at $ODOO_CACHE")
    fi
    say "fetching the official Odoo 18.0 nightly source archive"
    local archive="$CACHE_DIR/odoo_18.0.latest.tar.gz"
    if curl -fsL --retry 2 --connect-timeout 20 -o "$archive.part" "$ODOO_NIGHTLY_URL" && mv "$archive.part" "$archive" \
        && why="$(unpack_archive "$archive" "$ODOO_CACHE")" && why="$(check_odoo_tree "$ODOO_CACHE.new")"; then
        rm -rf "$ODOO_CACHE" && mv "$ODOO_CACHE.new" "$ODOO_CACHE"
        return 0
    fi
    rm -f "$archive.part"; rm -rf "$ODOO_CACHE.new"
    reasons+=("nightly archive: ${why:-$ODOO_NIGHTLY_URL could not be downloaded}")
    die "no Odoo 18.0 Community source tree found. Give one in any of these three ways:
    1. ODOO_SRC=/path/to/odoo-18.0 (a source tree, a .tar.gz/.zip of one, or a URL to such an archive) make ...
    2. a tree left in the cache by an earlier setup: $ODOO_CACHE
    3. network access to the official nightly archive: $ODOO_NIGHTLY_URL
  what was tried: $(IFS=";"; echo "${reasons[*]}")"
}

# ---------------------------------------------------------------- python
pick_python() {
    local c
    for c in ${PYTHON:-} python3.12 python3.11 python3; do
        command -v "$c" >/dev/null 2>&1 || continue
        "$c" -c 'import sys; sys.exit(0 if sys.version_info[:2] in ((3, 11), (3, 12)) else 1)' 2>/dev/null || continue
        echo "$c"; return 0
    done
    die "Python 3.11 or 3.12 is needed (set PYTHON=/path/to/python3.x)"
}

setup_venv() {
    local stamp="$VENV/.neiqin-stamp" want
    want="$(cat "$ROOT/requirements.txt" "$ROOT/tools/build-constraints.txt" "$ODOO_CACHE/requirements.txt" \
        "$ODOO_CACHE/odoo/release.py" | sha256sum | cut -c1-16)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$VENV/bin/python" -c 'import odoo' 2>/dev/null; then
        return 0
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        local py; py="$(pick_python)"
        say "creating the virtualenv with $("$py" --version)"
        "$py" -m venv "$VENV"
    fi
    local pip=("$VENV/bin/python" -m pip --disable-pip-version-check -q)
    export PIP_BUILD_CONSTRAINT="$ROOT/tools/build-constraints.txt"
    # The old sdists' builds print pages of setuptools deprecation notices.
    export PYTHONWARNINGS=ignore
    "${pip[@]}" install -U pip wheel "setuptools<81"
    say "installing Odoo's Python requirements"
    "${pip[@]}" install -r "$ODOO_CACHE/requirements.txt"
    # Odoo before the OCA wheels: they require odoo==18.0.*. The compat
    # editable mode puts the tree itself on sys.path, so `import odoo` is
    # always the real package, while the wheels' odoo/addons/* folders in
    # site-packages join the odoo.addons namespace.
    say "installing Odoo from $ODOO_CACHE"
    "${pip[@]}" install --no-deps -e "$ODOO_CACHE" --config-settings editable_mode=compat
    say "installing the project's requirements (OCA add-ons, test and lint tools)"
    "${pip[@]}" install -r "$ROOT/requirements.txt"
    "$VENV/bin/python" - <<'PY'
import odoo, odoo.release, os
assert odoo.release.version_info[:2] == (18, 0), odoo.release.version
assert os.path.isfile(os.path.join(os.path.dirname(odoo.__file__), "release.py")), odoo.__file__
PY
    echo "$want" >"$stamp"
}

main() {
    setup_system
    setup_odoo_source
    setup_venv
}
main "$@"
