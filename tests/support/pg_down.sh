#!/usr/bin/env bash
# Stops the throwaway PostgreSQL cluster that pg_up.sh STATE_DIR started and removes its files.
#
# Usage: pg_down.sh STATE_DIR
# Succeeds (exit 0) when there is nothing to stop. Only directories named /tmp/gc-pg.* are removed.
set -euo pipefail

if [[ $# -ne 1 || -z "$1" ]]; then
    echo "usage: $0 STATE_DIR" >&2
    exit 2
fi
ENV_FILE="$1/pg.env"
if [[ ! -f "$ENV_FILE" ]]; then
    echo "pg_down: nothing to stop ($ENV_FILE absent)"
    exit 0
fi

value() { sed -n "s/^$1=//p" "$ENV_FILE" | head -n 1; }
PG_DIR=$(value PG_DIR)
PG_BIN=$(value PG_BIN)
PG_PID=$(value PG_PID)

if [[ $(id -u) -eq 0 ]]; then
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

if [[ -n "$PG_DIR" && -f "$PG_DIR/data/postmaster.pid" ]]; then
    if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 20 stop >/dev/null 2>&1; then
        # Only kill the pid if it is still this cluster's postmaster.
        if [[ -n "$PG_PID" ]] && grep -qs -- "$PG_DIR/data" "/proc/$PG_PID/cmdline"; then
            kill -9 "$PG_PID" 2>/dev/null || true
        fi
    fi
fi

case "$PG_DIR" in
    /tmp/gc-pg.?*) rm -rf "$PG_DIR" ;;
    *) echo "pg_down: not removing unexpected PG_DIR '$PG_DIR'" >&2 ;;
esac
rm -f "$ENV_FILE"
echo "pg_down: stopped"
