#!/usr/bin/env bash
# Databases for `make run` and `make test`.
#   tools/db.sh run-db    create (once) or update the demo database `neiqin`
#   tools/db.sh test-db   copy a fresh `neiqin_test` from the installed template
#   tools/db.sh bench-db SCALE   the benchmark database of that scale (made once)
#   tools/db.sh compat-base      the template of Odoo's modules Neiqin extends,
#                                 without Neiqin (made once per virtualenv)
#   tools/db.sh compat-base-name its name, without making it
# The template is keyed by the add-ons' content and the virtualenv, so it is
# installed once and copied (createdb -T) by every later test run.
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "$0")/common.sh"
# shellcheck source=/dev/null
. "$DATA/pg.env"

CONF="$DATA/odoo.conf"
FILESTORE="$DATA/filestore-root/filestore"
ODOO=("$VENV/bin/python" "$VENV/bin/odoo" -c "$CONF")

db_exists() { [ "$(psql -Atqc "select 1 from pg_database where datname = '$1'")" = 1 ]; }

drop_db() {
    db_exists "$1" || { rm -rf "${FILESTORE:?}/$1"; return 0; }
    psql -qc "select pg_terminate_backend(pid) from pg_stat_activity where datname = '$1' and pid <> pg_backend_pid()" >/dev/null
    dropdb "$1"
    rm -rf "${FILESTORE:?}/$1"
}

copy_db() {  # template target
    drop_db "$2"
    createdb -T "$1" "$2"
    if [ -d "$FILESTORE/$1" ]; then
        mkdir -p "$FILESTORE"
        cp -a "$FILESTORE/$1" "$FILESTORE/$2"
    fi
}

install_modules() {  # db, extra odoo args...
    local db="$1"; shift
    local mods; mods="$(neiqin_modules)"
    "${ODOO[@]}" -d "$db" -i "$mods" --load-language=zh_CN,zh_TW --stop-after-init \
        --no-http --log-level=warn "$@"
}

# Odoo installs a module whose demo data fails without it, and only logs
# that: tests would then run on half the demo. Fail instead, saying why.
demo_failures() {  # db
    local failures
    failures="$(psql -d "$1" -Atqc "select m.name || ': ' || coalesce(
            (regexp_match(f.error, '([^\n]*(?:Error|Exception): [^\n]*)'))[1], f.error)
        from ir_demo_failure f join ir_module_module m on m.id = f.module_id")"
    [ -z "$failures" ] && return 0
    printf '%s\n' "$failures" >&2
    return 1
}

addons_key() {
    printf '%s-%s' "$(content_hash addons)" "$(cut -c1-8 "$VENV/.neiqin-stamp")"
}

ensure_template() {  # prints the template's name
    local key tpl
    key="$(addons_key)"
    tpl="neiqin_tpl_$key"
    if ! db_exists "$tpl"; then
        say "installing the add-ons into a new test template ($tpl)"
        drop_db "${tpl}_build"
        local t0=$SECONDS
        install_modules "${tpl}_build" >&2 || { drop_db "${tpl}_build"; die "installing the add-ons failed (see above)"; }
        demo_failures "${tpl}_build" || { drop_db "${tpl}_build"; die "demo data failed to load (see above)"; }
        psql -qc "alter database \"${tpl}_build\" rename to \"$tpl\""
        [ -d "$FILESTORE/${tpl}_build" ] && mv "$FILESTORE/${tpl}_build" "$FILESTORE/$tpl"
        say "template ready in $((SECONDS - t0)) s"
        # Older templates are of no further use.
        local old
        for old in $(psql -Atqc "select datname from pg_database where datname like 'neiqin\\_tpl\\_%' and datname <> '$tpl'"); do
            drop_db "$old"
        done
    fi
    echo "$tpl"
}

test_db() {
    local tpl
    tpl="$(ensure_template)"
    copy_db "$tpl" neiqin_test
}

# A benchmark database per scale and template; built once, kept for reuse.
bench_db() {
    local scale="$1" tpl db old
    tpl="$(ensure_template)"
    db="neiqin_bench_s${scale//./_}_${tpl#neiqin_tpl_}"
    if ! db_exists "$db"; then
        for old in $(psql -Atqc "select datname from pg_database where datname like 'neiqin\\_bench\\_s${scale//./_}\\_%'"); do
            drop_db "$old" >&2
        done
        say "creating the benchmark database $db"
        copy_db "$tpl" "$db" >&2
        # The peer the order review is compared with (OCA sale_exception)
        # lives in the benchmark database only.
        "${ODOO[@]}" -d "$db" -i sale_exception --stop-after-init --no-http --log-level=warn >&2 \
            || { drop_db "$db"; die "installing sale_exception into $db failed (see above)"; }
    fi
    echo "$db"
}

# The Odoo and OCA modules the Neiqin add-ons depend on, outside Neiqin.
neiqin_dependencies() {
    "$VENV/bin/python" - "$ROOT/addons" <<'PY'
import ast, os, sys
root = sys.argv[1]
deps = set()
for name in sorted(os.listdir(root)):
    path = os.path.join(root, name, "__manifest__.py")
    if os.path.isfile(path):
        with open(path) as manifest:
            deps.update(ast.literal_eval(manifest.read()).get("depends", []))
print(",".join(sorted(d for d in deps if not d.startswith("neiqin_"))))
PY
}

# The baseline of `make test-compat`: the same Odoo modules and demo data as
# the test template, without Neiqin.
compat_base_name() {
    local key
    key="$(printf '%s %s' "$(neiqin_dependencies)" "$(cut -c1-8 "$VENV/.neiqin-stamp")" \
        | sha256sum | cut -c1-12)"
    echo "neiqin_compat_base_$key"
}

compat_base_db() {
    local deps tpl old
    deps="$(neiqin_dependencies)"
    tpl="$(compat_base_name)"
    if ! db_exists "$tpl"; then
        for old in $(psql -Atqc "select datname from pg_database where datname like 'neiqin\\_compat\\_base\\_%'"); do
            drop_db "$old" >&2
        done
        say "installing $deps without Neiqin into $tpl (the baseline of test-compat)"
        drop_db "${tpl}_build"
        "${ODOO[@]}" -d "${tpl}_build" -i "$deps" --load-language=zh_CN,zh_TW --stop-after-init \
            --no-http --log-level=warn >&2 || { drop_db "${tpl}_build"; die "installing $deps failed (see above)"; }
        psql -qc "alter database \"${tpl}_build\" rename to \"$tpl\""
        [ -d "$FILESTORE/${tpl}_build" ] && mv "$FILESTORE/${tpl}_build" "$FILESTORE/$tpl"
    fi
    echo "$tpl"
}

run_db() {
    local key stamp="$DATA/run-db.key"
    key="$(addons_key)"
    if ! db_exists neiqin; then
        say "creating the database 'neiqin' with every Neiqin add-on and demo data"
        # Demo data gives the administrator the login admin / admin.
        install_modules neiqin || { drop_db neiqin; die "installing the add-ons failed (see above)"; }
        demo_failures neiqin || die "demo data failed to load (see above)"
        # The demo opens on the demo shop, for the administrator too. Only
        # here: the test databases keep the administrator in Odoo's main
        # company, where Odoo's own tests and tours expect them.
        "$VENV/bin/python" "$VENV/bin/odoo" shell -c "$CONF" -d neiqin --no-http --log-level=warn >/dev/null <<'PY'
shop = env.ref("neiqin_orders.demo_company_cn", raise_if_not_found=False)
if shop:
    env.ref("base.user_admin").company_id = shop
    env.cr.commit()
PY
    elif [ "$(cat "$stamp" 2>/dev/null)" != "$key" ]; then
        say "updating the Neiqin add-ons in the database 'neiqin'"
        install_modules neiqin -u "$(neiqin_modules)"
    fi
    echo "$key" >"$stamp"
}

case "${1:-}" in
    test-db) test_db ;;
    bench-db) bench_db "${2:-1}" ;;
    compat-base) compat_base_db ;;
    compat-base-name) compat_base_name ;;
    template) ensure_template ;;
    copy) copy_db "$2" "$3" ;;
    run-db) run_db ;;
    drop) drop_db "$2" ;;
    *) die "usage: tools/db.sh run-db|test-db|bench-db SCALE|compat-base|template|copy FROM TO|drop DB" ;;
esac
