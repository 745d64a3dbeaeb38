# shellcheck shell=bash
# Throwaway PostgreSQL and Redis servers for tests and CI. Source this file, then:
#
#   services_start   start both on free loopback ports in a temp dir; exports DATABASE_URL,
#                    REDIS_URL and CELERY_BROKER_URL
#   services_stop    stop both and remove the temp dir (safe to call twice)
#
#   source scripts/services.sh && services_start && trap services_stop EXIT
#
# Installs postgresql and redis-server with apt-get when they are missing and we are root.
# Works under `set -euo pipefail` and without it; changes no shell options of the caller.

_services_log() { echo "services: $*" >&2; }

# True when something accepts TCP connections on 127.0.0.1:$1.
_services_port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# First port from $1 upward that nobody listens on.
_services_free_port() {
    local port="$1"
    while [ "$port" -lt $(($1 + 200)) ]; do
        if ! _services_port_busy "$port"; then
            echo "$port"
            return 0
        fi
        port=$((port + 1))
    done
    return 1
}

# Newest /usr/lib/postgresql/*/bin holding initdb.
_services_pg_bin() {
    local dir
    dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 3 -path '*/bin/initdb' -printf '%h\n' 2>/dev/null |
        sort -V | tail -n 1)"
    [ -n "$dir" ] && echo "$dir"
}

_services_install() {
    local missing=()
    [ -n "$(_services_pg_bin)" ] || missing+=(postgresql)
    command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 ||
        missing+=(redis-server)
    [ "${#missing[@]}" -eq 0 ] && return 0
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        _services_log "missing ${missing[*]}: install them (Debian: apt-get install ${missing[*]})"
        return 1
    fi
    _services_log "installing ${missing[*]} with apt-get"
    if [ -z "${_SERVICES_APT_UPDATED:-}" ]; then
        apt-get update -qq </dev/null || return 1
        _SERVICES_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" </dev/null || return 1
}

# Run a PostgreSQL binary as the postgres user when we are root (initdb refuses root).
_services_as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

services_start() {
    if [ -n "${SERVICES_DIR:-}" ]; then
        _services_log "already started in $SERVICES_DIR"
        return 0
    fi
    _services_install || return 1
    local pg_bin
    pg_bin="$(_services_pg_bin)" || {
        _services_log "no PostgreSQL under /usr/lib/postgresql"
        return 1
    }

    SERVICES_DIR="$(mktemp -d "${TMPDIR:-/tmp}/innolab-services.XXXXXX")" || return 1
    mkdir -p "$SERVICES_DIR/pg/sock" "$SERVICES_DIR/redis"
    if [ "$(id -u)" = 0 ]; then
        chown -R postgres: "$SERVICES_DIR/pg" || return 1
        chmod 755 "$SERVICES_DIR"
    fi
    SERVICES_PG_BIN="$pg_bin"
    SERVICES_PG_PORT=""
    SERVICES_REDIS_PORT=""

    # PostgreSQL: initdb, then start on the first free port from 55432 (retry if it races).
    if ! _services_as_pg "$pg_bin/initdb" -D "$SERVICES_DIR/pg/data" -U postgres -A trust \
        -E UTF8 --locale=C.UTF-8 --no-sync >"$SERVICES_DIR/initdb.log" 2>&1; then
        _services_log "initdb failed:"
        cat "$SERVICES_DIR/initdb.log" >&2
        services_stop
        return 1
    fi
    local port="" _ start=55432
    for _ in 1 2 3 4 5; do
        port="$(_services_free_port "$start")" || break
        if _services_as_pg "$pg_bin/pg_ctl" -D "$SERVICES_DIR/pg/data" -l "$SERVICES_DIR/pg/server.log" \
            -w -t 30 -s start -o "-c listen_addresses=127.0.0.1 -p $port \
-c unix_socket_directories=$SERVICES_DIR/pg/sock -c fsync=off -c synchronous_commit=off \
-c full_page_writes=off -c max_connections=100" >/dev/null; then
            SERVICES_PG_PORT="$port"
            break
        fi
        start=$((port + 1))
    done
    if [ -z "${SERVICES_PG_PORT:-}" ]; then
        _services_log "PostgreSQL did not start; its log:"
        cat "$SERVICES_DIR/pg/server.log" >&2 2>/dev/null
        services_stop
        return 1
    fi
    if ! "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$SERVICES_PG_PORT" -U postgres \
        -d postgres -c "CREATE ROLE innolab LOGIN CREATEDB" -c "CREATE DATABASE innolab OWNER innolab" \
        >/dev/null; then
        _services_log "could not create the role and database innolab"
        services_stop
        return 1
    fi

    # Redis: first free port from 56379, no persistence.
    SERVICES_REDIS_PORT="$(_services_free_port 56379)" || {
        services_stop
        return 1
    }
    if ! redis-server --bind 127.0.0.1 --port "$SERVICES_REDIS_PORT" --daemonize yes --save '' \
        --appendonly no --pidfile "$SERVICES_DIR/redis/redis.pid" \
        --logfile "$SERVICES_DIR/redis/redis.log" --dir "$SERVICES_DIR/redis" >/dev/null; then
        _services_log "redis-server did not start"
        services_stop
        return 1
    fi
    local i
    for i in $(seq 1 100); do
        [ "$(redis-cli -h 127.0.0.1 -p "$SERVICES_REDIS_PORT" ping 2>/dev/null)" = PONG ] && break
        if [ "$i" = 100 ]; then
            _services_log "Redis does not answer; its log:"
            cat "$SERVICES_DIR/redis/redis.log" >&2 2>/dev/null
            services_stop
            return 1
        fi
        sleep 0.1
    done

    # SERVICES_* stay unexported: a child shell that sources this file gets its own servers.
    export DATABASE_URL="postgres://innolab@127.0.0.1:$SERVICES_PG_PORT/innolab"
    export REDIS_URL="redis://127.0.0.1:$SERVICES_REDIS_PORT/0"
    export CELERY_BROKER_URL="redis://127.0.0.1:$SERVICES_REDIS_PORT/1"
    _services_log "PostgreSQL $("$pg_bin/postgres" -V | awk '{print $3}') on 127.0.0.1:$SERVICES_PG_PORT," \
        "Redis on 127.0.0.1:$SERVICES_REDIS_PORT (in $SERVICES_DIR)"
}

services_stop() {
    [ -n "${SERVICES_DIR:-}" ] || return 0
    if [ -n "${SERVICES_REDIS_PORT:-}" ] && [ -f "$SERVICES_DIR/redis/redis.pid" ]; then
        redis-cli -h 127.0.0.1 -p "$SERVICES_REDIS_PORT" shutdown nosave >/dev/null 2>&1 ||
            kill "$(cat "$SERVICES_DIR/redis/redis.pid")" 2>/dev/null || true
    fi
    if [ -n "${SERVICES_PG_PORT:-}" ] && [ -f "$SERVICES_DIR/pg/data/postmaster.pid" ]; then
        _services_as_pg "${SERVICES_PG_BIN:-$(_services_pg_bin)}/pg_ctl" -D "$SERVICES_DIR/pg/data" \
            -m immediate -w -t 30 -s stop >/dev/null 2>&1 || true
    fi
    # Redis removes its pid file on exit: wait for it before removing the folder.
    local i
    for i in $(seq 1 50); do
        [ -f "$SERVICES_DIR/redis/redis.pid" ] || break
        sleep 0.1
    done
    rm -rf "$SERVICES_DIR"
    if [ "${DATABASE_URL:-}" = "postgres://innolab@127.0.0.1:${SERVICES_PG_PORT:-}/innolab" ]; then
        unset DATABASE_URL REDIS_URL CELERY_BROKER_URL
    fi
    unset SERVICES_DIR SERVICES_PG_PORT SERVICES_REDIS_PORT SERVICES_PG_BIN
    _services_log "stopped"
}
