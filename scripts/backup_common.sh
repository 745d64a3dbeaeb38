# shellcheck shell=bash
# What scripts/backup and scripts/restore share (sourced, not run): the environment as the
# application reads it, PostgreSQL binaries matching the server, and per-table checksums.

# DATABASE_URL, MEDIA_ROOT, INNOLAB_VAR_DIR and the S3 bucket from the repository's .env file,
# for those not set in the environment (as config/settings/base.py does).
backup_common_load_env() {
    local env_file="$ROOT/.env" key line value
    [ -f "$env_file" ] || return 0
    for key in DATABASE_URL MEDIA_ROOT INNOLAB_VAR_DIR STORAGE_S3_BUCKET AWS_STORAGE_BUCKET_NAME \
        STORAGE_S3_ENDPOINT_URL; do
        [ -n "${!key:-}" ] && continue
        line="$(grep -E "^[[:space:]]*(export[[:space:]]+)?$key=" "$env_file" | tail -n 1 || true)"
        [ -n "$line" ] || continue
        value="${line#*=}"
        value="${value%\"}" && value="${value#\"}" && value="${value%\'}" && value="${value#\'}"
        export "$key=$value"
    done
}

backup_common_url() {
    local url="${DATABASE_URL:-}"
    case "$url" in
    postgres://* | postgresql://*) echo "$url" ;;
    *)
        echo "Set DATABASE_URL to the PostgreSQL database (postgres://user:password@host:port/db)." >&2
        return 2
        ;;
    esac
}

# The URL without its password, for messages and the manifest.
backup_common_redacted() {
    echo "$1" | sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#'
}

# The directory of pg_dump/pg_restore/psql for the server DATABASE_URL names: $PG_BIN, else
# /usr/lib/postgresql/<server major>/bin, else the newest newer one there, else the PATH's.
backup_common_bin() {
    local url="$1" any_psql major dir
    if [ -n "${PG_BIN:-}" ]; then
        echo "$PG_BIN"
        return 0
    fi
    any_psql="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/psql' 2>/dev/null | sort -V | tail -n 1)"
    [ -n "$any_psql" ] || any_psql="$(command -v psql || true)"
    if [ -z "$any_psql" ]; then
        echo "No psql found: install the PostgreSQL client (Debian: postgresql-client)." >&2
        return 1
    fi
    major="$("$any_psql" -X -At -d "$url" -c 'SHOW server_version_num')" || {
        echo "Cannot connect to $(backup_common_redacted "$url")." >&2
        return 1
    }
    major=$((major / 10000))
    if [ -x "/usr/lib/postgresql/$major/bin/pg_dump" ]; then
        echo "/usr/lib/postgresql/$major/bin"
        return 0
    fi
    for dir in $(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V); do
        if [ -x "$dir/pg_dump" ] && [ "$(basename "$(dirname "$dir")")" -ge "$major" ] 2>/dev/null; then
            echo "$dir"
            return 0
        fi
    done
    if command -v pg_dump >/dev/null 2>&1; then
        dirname "$(command -v pg_dump)"
        return 0
    fi
    echo "No pg_dump for PostgreSQL $major: install postgresql-client-$major." >&2
    return 1
}

backup_common_media_root() {
    echo "${MEDIA_ROOT:-${INNOLAB_VAR_DIR:-$ROOT/var}/media}"
}

# One line per table (schema.table, rows, checksum), tab-separated and sorted: the checksum is
# md5 over the md5 of each row's text, sorted, so it does not depend on the rows' physical order.
# Output settings are fixed so that two databases print the same values the same way.
backup_common_table_checksums() {
    local bin="$1" url="$2" sql
    sql="$("$bin/psql" -X -At -d "$url" -v ON_ERROR_STOP=1 -c "
        SELECT string_agg(format(
            'SELECT %L, count(*), coalesce(md5(string_agg(md5(t::text), '''' ORDER BY md5(t::text))), md5('''')) FROM %I.%I t',
            schemaname || '.' || tablename, schemaname, tablename), ' UNION ALL ')
        FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")"
    [ -n "$sql" ] || return 0
    PGOPTIONS="-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=postgres -c extra_float_digits=1 -c bytea_output=hex" \
        "$bin/psql" -X -At -F $'\t' -d "$url" -v ON_ERROR_STOP=1 -c "$sql ORDER BY 1"
}

# How many tables the database has outside the system schemas.
backup_common_table_count() {
    "$1/psql" -X -At -d "$2" -v ON_ERROR_STOP=1 -c \
        "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
}
