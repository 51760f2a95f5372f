#!/usr/bin/env bash
# Midlertidig PostgreSQL-klynge for testene.
#
#   scripts/pg-test.sh start    start en ny klynge på 127.0.0.1 (ledig port, tillit uten passord)
#   scripts/pg-test.sh url      skriv ut SQLAlchemy-URL-en til klyngen som kjører
#   scripts/pg-test.sh status   si om klyngen kjører
#   scripts/pg-test.sh stop     stopp klyngen og slett mappen dens
#
# Klyngen ligger i en ny mappe /tmp/helsetilbud-pg.XXXXXX. initdb nekter å kjøre som root,
# så som root kjøres PostgreSQL-programmene som brukeren «postgres».
# Tilstanden (mappe og port) står i HELSETILBUD_PG_STATE
# (standard: ${TMPDIR:-/tmp}/helsetilbud-pg-UID.state), slik at «stop» og «url» finner klyngen.
# PG_BINDIR kan peke på en annen mappe med initdb og pg_ctl.
set -euo pipefail

STATE_FILE="${HELSETILBUD_PG_STATE:-${TMPDIR:-/tmp}/helsetilbud-pg-$(id -u).state}"
# Klyngemappen legges alltid under /tmp (eller HELSETILBUD_PG_TMP): brukeren postgres må nå den.
CLUSTER_BASE="${HELSETILBUD_PG_TMP:-/tmp}"

die() {
    echo "pg-test: $*" >&2
    exit 1
}

find_bindir() {
    if [[ -n "${PG_BINDIR:-}" ]]; then
        [[ -x "$PG_BINDIR/initdb" ]] || die "fant ikke initdb i PG_BINDIR=$PG_BINDIR"
        echo "$PG_BINDIR"
        return
    fi
    local initdb
    initdb="$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)"
    if [[ -x "$initdb" ]]; then
        dirname "$initdb"
    elif initdb="$(command -v initdb)"; then
        dirname "$initdb"
    else
        die "fant ikke initdb. Installer PostgreSQL: apt-get install postgresql (eller kjør make system-packages)"
    fi
}

# Kjør et PostgreSQL-program: som «postgres» når vi er root, ellers som oss selv.
as_pg() {
    if [[ "$(id -u)" -eq 0 ]]; then
        if command -v runuser >/dev/null 2>&1; then
            (cd / && runuser -u postgres -- "$@")
        else
            local cmd
            printf -v cmd '%q ' "$@"
            (cd / && su postgres -s /bin/sh -c "$cmd")
        fi
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# Leser tilstandsfilen inn i variablene state_dir og state_port. Returnerer 1 om den mangler.
read_state() {
    state_dir=""
    state_port=""
    [[ -f "$STATE_FILE" ]] || return 1
    local key value
    while IFS='=' read -r key value; do
        case "$key" in
            dir) state_dir="$value" ;;
            port) state_port="$value" ;;
        esac
    done <"$STATE_FILE"
    [[ -n "$state_dir" && -n "$state_port" ]]
}

is_running() {
    local dir="$1" bindir
    [[ -d "$dir/data" ]] || return 1
    bindir="$(find_bindir)"
    as_pg "$bindir/pg_ctl" status -D "$dir/data" >/dev/null 2>&1
}

# Fjerner en klyngemappe, men bare en som ser ut som vår egen.
remove_cluster_dir() {
    local dir="$1"
    case "$dir" in
        */helsetilbud-pg.*) rm -rf -- "$dir" ;;
        *) echo "pg-test: rører ikke $dir (ser ikke ut som en testklynge)" >&2 ;;
    esac
}

url() {
    echo "postgresql+psycopg://postgres@127.0.0.1:$1/postgres"
}

cmd_start() {
    if read_state; then
        if is_running "$state_dir"; then
            echo "pg-test: klyngen kjører allerede på port $state_port ($state_dir)" >&2
            return 0
        fi
        echo "pg-test: rydder etter en gammel klynge som ikke kjører ($state_dir)" >&2
        remove_cluster_dir "$state_dir"
    fi
    rm -f -- "$STATE_FILE"

    local bindir dir port attempt
    bindir="$(find_bindir)"
    dir="$(mktemp -d "$CLUSTER_BASE/helsetilbud-pg.XXXXXX")"
    chmod 755 "$dir"
    mkdir "$dir/sock"
    if [[ "$(id -u)" -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || die "brukeren postgres finnes ikke (er pakken postgresql installert?)"
        chown -R postgres: "$dir"
    fi

    if ! as_pg "$bindir/initdb" -D "$dir/data" --auth=trust -U postgres -E UTF8 --locale=C.UTF-8 \
        --no-sync >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        remove_cluster_dir "$dir"
        die "initdb feilet"
    fi

    # Porten velges like før start; en annen prosess kan ta den i mellomtiden, så prøv noen ganger.
    for attempt in 1 2 3; do
        port="$(free_port)"
        if as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-h 127.0.0.1 -p $port -k $dir/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null; then
            printf 'dir=%s\nport=%s\n' "$dir" "$port" >"$STATE_FILE"
            return 0
        fi
        echo "pg-test: start på port $port feilet (forsøk $attempt)" >&2
    done
    cat "$dir/server.log" >&2 || true
    remove_cluster_dir "$dir"
    die "klarte ikke å starte PostgreSQL"
}

cmd_stop() {
    if ! read_state; then
        rm -f -- "$STATE_FILE"
        echo "pg-test: ingen testklynge å stoppe" >&2
        return 0
    fi
    local bindir
    bindir="$(find_bindir)"
    if is_running "$state_dir"; then
        as_pg "$bindir/pg_ctl" -D "$state_dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
            || as_pg "$bindir/pg_ctl" -D "$state_dir/data" -m immediate -w stop >/dev/null 2>&1 \
            || echo "pg-test: klarte ikke å stoppe PostgreSQL i $state_dir" >&2
    fi
    remove_cluster_dir "$state_dir"
    rm -f -- "$STATE_FILE"
}

cmd_url() {
    read_state || die "ingen testklynge kjører (start med: scripts/pg-test.sh start)"
    url "$state_port"
}

cmd_status() {
    if read_state && is_running "$state_dir"; then
        echo "kjører: $(url "$state_port") ($state_dir)"
    else
        echo "ingen testklynge kjører"
        return 1
    fi
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    url) cmd_url ;;
    status) cmd_status ;;
    *)
        echo "bruk: $0 start|stop|url|status" >&2
        exit 2
        ;;
esac
