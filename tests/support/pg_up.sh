#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster for the tests (data and socket under /tmp, TCP off) and
# writes STATE_DIR/pg.env; pg_down.sh STATE_DIR stops it and removes every file it made.
#
# Usage: pg_up.sh STATE_DIR
# Works as root (runs the server as the postgres user) and as an ordinary user. Creates the roles
# gc_owner (LOGIN CREATEDB, owns schema objects, runs migrations) and gc_app (LOGIN, no superuser,
# no BYPASSRLS, no CREATEDB: the server's role). Auth is trust over the private unix socket.
# pg.env lines: PG_DIR PG_SOCKET_DIR PG_PORT PG_BIN PG_SUPERUSER PG_PID.
set -euo pipefail

if [[ $# -ne 1 || -z "$1" ]]; then
    echo "usage: $0 STATE_DIR" >&2
    exit 2
fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$1"
STATE_DIR=$(cd "$1" && pwd)

# A cluster left running by an earlier run on this state dir is stopped first.
if [[ -f "$STATE_DIR/pg.env" ]]; then
    "$HERE/pg_down.sh" "$STATE_DIR" >/dev/null 2>&1 || true
fi

find_pg_bin() {
    if [[ -n "${GC_PG_BIN:-}" ]]; then
        echo "$GC_PG_BIN"
    elif [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then
        echo /usr/lib/postgresql/15/bin
    elif command -v pg_config >/dev/null 2>&1 && [[ -x "$(pg_config --bindir)/initdb" ]]; then
        pg_config --bindir
    elif command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
    else
        return 1
    fi
}
PG_BIN=$(find_pg_bin) || { echo "pg_up: no PostgreSQL server binaries (initdb) found" >&2; exit 1; }

# initdb refuses to run as root, so root runs the server as the postgres user.
if [[ $(id -u) -eq 0 ]]; then
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

# A port is only the socket file's name here (TCP is off), but stay clear of other clusters.
port_taken() {
    local p=$1 hex f
    for f in /tmp/gc-pg.*/sock/.s.PGSQL."$p" /var/run/postgresql/.s.PGSQL."$p" /tmp/.s.PGSQL."$p"; do
        [[ -e "$f" ]] && return 0
    done
    hex=$(printf ':%04X ' "$p")
    if grep -qs -- "$hex" /proc/net/tcp /proc/net/tcp6; then
        return 0
    fi
    return 1
}
PG_PORT=""
for ((p = 54329; p < 54529; p++)); do
    if ! port_taken "$p"; then
        PG_PORT=$p
        break
    fi
done
if [[ -z "$PG_PORT" ]]; then
    echo "pg_up: no free port in 54329..54528" >&2
    exit 1
fi

PG_DIR=$(mktemp -d /tmp/gc-pg.XXXXXX)
PG_SOCKET_DIR="$PG_DIR/sock"
mkdir -p "$PG_DIR/data" "$PG_SOCKET_DIR"
chmod 755 "$PG_DIR" "$PG_SOCKET_DIR"
if [[ $(id -u) -eq 0 ]]; then
    chown -R postgres:postgres "$PG_DIR"
fi

fail() {
    echo "pg_up: $1" >&2
    for f in "$PG_DIR/initdb.log" "$PG_DIR/server.log"; do
        if [[ -s "$f" ]]; then
            echo "---- $f" >&2
            cat "$f" >&2
        fi
    done
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    exit 1
}

as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$PG_DIR/initdb.log" 2>&1 || fail "initdb failed"

# -l is required: without it the postmaster keeps pg_ctl's stdout and any pipe on it hangs.
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
    -o "-k $PG_SOCKET_DIR -p $PG_PORT -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null 2>&1 || fail "server did not start"

"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres -d postgres \
    >"$PG_DIR/roles.log" 2>&1 <<'SQL' || { cat "$PG_DIR/roles.log" >&2; fail "creating roles failed"; }
CREATE ROLE gc_owner LOGIN NOSUPERUSER CREATEDB NOCREATEROLE NOBYPASSRLS;
CREATE ROLE gc_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
SQL

PG_PID=$(head -n 1 "$PG_DIR/data/postmaster.pid")
cat >"$STATE_DIR/pg.env.tmp" <<ENV
PG_DIR=$PG_DIR
PG_SOCKET_DIR=$PG_SOCKET_DIR
PG_PORT=$PG_PORT
PG_BIN=$PG_BIN
PG_SUPERUSER=postgres
PG_PID=$PG_PID
ENV
mv "$STATE_DIR/pg.env.tmp" "$STATE_DIR/pg.env"
echo "pg_up: PostgreSQL running, socket $PG_SOCKET_DIR port $PG_PORT (env in $STATE_DIR/pg.env)"
