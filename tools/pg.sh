#!/usr/bin/env bash
# PostgreSQL for the project: a configured server when one answers, else a
# private cluster under .data/. Writes .data/pg.env and .data/odoo.conf.
#   tools/pg.sh start   ensure a server answers (default)
#   tools/pg.sh stop    stop the private cluster, if it runs
set -euo pipefail
# shellcheck source=tools/common.sh
. "$(dirname "$0")/common.sh"

PGDATA_DIR="$DATA/pg"
PGSOCK_DIR="$DATA/run"
PRIVATE_PORT=5432

pg_bindir() {
    local d
    for d in ${PG_BINDIR:-} /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
    d="$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/x)")"
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
    return 1
}

# The OS user that owns the private cluster: initdb refuses to run as root.
cluster_owner() {
    if ! is_root; then id -un; return; fi
    if id postgres >/dev/null 2>&1; then echo postgres; return; fi
    useradd --system --no-create-home --shell /usr/sbin/nologin neiqin-pg 2>/dev/null || true
    echo neiqin-pg
}

as_owner() {
    local owner="$1"; shift
    if is_root && [ "$owner" != root ]; then
        runuser -u "$owner" -- "$@"
    else
        "$@"
    fi
}

# Values from odoo.conf's [options], empty when unset or False.
conf_value() {
    local v
    v="$(sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$ROOT/odoo.conf" 2>/dev/null | tail -n1)"
    [ "$v" = False ] && v=""
    printf '%s' "$v"
}

write_env() {  # host port user password
    mkdir -p "$DATA"
    {
        printf 'export PGHOST=%q\n' "$1"
        printf 'export PGPORT=%q\n' "$2"
        printf 'export PGUSER=%q\n' "$3"
        [ -n "$4" ] && printf 'export PGPASSWORD=%q\n' "$4"
        printf 'export PGDATABASE=postgres\n'
    } >"$DATA/pg.env"
    "$VENV/bin/python" "$ROOT/tools/write_conf.py" "$@"
}

configured_server() {
    local host="${PGHOST:-$(conf_value db_host)}" port="${PGPORT:-$(conf_value db_port)}"
    local user="${PGUSER:-$(conf_value db_user)}" password="${PGPASSWORD:-$(conf_value db_password)}"
    [ -n "$host$port$user${PGPASSWORD:-}${PGDATABASE:-}" ] || return 1
    [ -n "$user" ] || user="$(id -un)"
    [ -n "$port" ] || port=5432
    if PGPASSWORD="$password" psql -h "${host:-/var/run/postgresql}" -p "$port" -U "$user" -d postgres \
        -Atqc 'select 1' >/dev/null 2>&1; then
        write_env "${host:-/var/run/postgresql}" "$port" "$user" "$password"
        return 0
    fi
    say "the configured PostgreSQL server (${host:-local socket}:$port, user $user) does not answer; using the private cluster"
    return 1
}

start_private() {
    local bindir owner
    bindir="$(pg_bindir)" || {
        if is_root && command -v apt-get >/dev/null; then
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
            bindir="$(pg_bindir)" || die "PostgreSQL server binaries not found after installing postgresql"
        else
            die "PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian's postgresql, or set PGHOST/PGUSER to a running server"
        fi
    }
    owner="$(cluster_owner)"
    mkdir -p "$PGSOCK_DIR"
    if is_root; then
        chown "$owner" "$PGSOCK_DIR"
        as_owner "$owner" test -x "$PGSOCK_DIR" \
            || die "the OS user $owner cannot reach $PGSOCK_DIR: make the project folder's parents traversable (chmod o+x)"
    fi
    if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
        say "creating the private PostgreSQL cluster in $PGDATA_DIR"
        mkdir -p "$PGDATA_DIR"
        is_root && chown "$owner" "$PGDATA_DIR"
        chmod 700 "$PGDATA_DIR"
        as_owner "$owner" "$bindir/initdb" -D "$PGDATA_DIR" -U odoo -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
        cat >>"$PGDATA_DIR/postgresql.conf" <<CONF
# Neiqin private cluster: Unix socket only, inside the project.
listen_addresses = ''
unix_socket_directories = '$PGSOCK_DIR'
port = $PRIVATE_PORT
max_connections = 200
shared_buffers = 512MB
work_mem = 32MB
maintenance_work_mem = 256MB
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    fi
    if ! as_owner "$owner" "$bindir/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
        as_owner "$owner" "$bindir/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t 60 start >/dev/null \
            || die "the private PostgreSQL cluster did not start; see $PGDATA_DIR/server.log"
    fi
    write_env "$PGSOCK_DIR" "$PRIVATE_PORT" odoo ""
}

stop_private() {
    local bindir owner
    [ -f "$PGDATA_DIR/PG_VERSION" ] || return 0
    bindir="$(pg_bindir)" || return 0
    owner="$(stat -c %U "$PGDATA_DIR")"
    if as_owner "$owner" "$bindir/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
        as_owner "$owner" "$bindir/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null
        say "private PostgreSQL cluster stopped"
    fi
}

case "${1:-start}" in
    start) configured_server || start_private ;;
    stop) stop_private ;;
    *) die "usage: tools/pg.sh [start|stop]" ;;
esac
