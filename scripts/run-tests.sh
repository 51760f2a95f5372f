#!/usr/bin/env bash
# Hele testkjøringen bak «make test»:
#   1. lint (ruff check og ruff format --check)
#   2. alle testene, med en midlertidig PostgreSQL-klynge i HELSETILBUD_TEST_PG_URL (testene
#      merket postgres hoppes over uten den): først enhet, widget og integrasjon i to prosesser
#      (pytest-xdist), så nettlesertestene
#   3. notatbøkene med nbval mot en eksempeldatabase, om det finnes notebooks/*.ipynb
# Alle stegene kjøres selv om et tidligere steg feiler; exit-koden er 1 om noe feilet.
# Venv og systempakker forutsettes på plass (make venv system-packages).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY=.venv/bin/python
[[ -x "$PY" ]] || {
    echo "Fant ikke $PY. Kjør «make venv» først." >&2
    exit 1
}

work="$(mktemp -d "${TMPDIR:-/tmp}/helsetilbud-test.XXXXXX")"
# Egen tilstandsfil for denne kjøringen: en klynge startet med «make pg-start» berøres ikke.
export HELSETILBUD_PG_STATE="$work/pg.state"

cleanup() {
    bash scripts/pg-test.sh stop 2>/dev/null || true
    rm -rf -- "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

failed=()

section() {
    printf '\n== %s ==\n' "$1"
}

# Kjører pytest og godtar bare exit-kode 0. Kode 5 (ingen tester samlet inn) er en feil.
run_pytest() {
    local name="$1" rc=0
    shift
    "$PY" -m pytest "$@" || rc=$?
    case "$rc" in
        0) ;;
        5)
            echo "Ingen tester ble samlet inn ($name)." >&2
            failed+=("$name")
            ;;
        *) failed+=("$name") ;;
    esac
}

section "Lint"
.venv/bin/ruff check . || failed+=("ruff check")
.venv/bin/ruff format --check . || failed+=("ruff format")

section "Tester (SQLite og PostgreSQL)"
if bash scripts/pg-test.sh start; then
    HELSETILBUD_TEST_PG_URL="$(bash scripts/pg-test.sh url)"
    export HELSETILBUD_TEST_PG_URL
    echo "PostgreSQL: $HELSETILBUD_TEST_PG_URL"
    # Enhets-, widget- og integrasjonstestene i to prosesser (én per kjerne). Nettlesertestene
    # også i to, men hver fil i én prosess (--dist loadfile): en fil deler sine tjenere, og
    # mye av tiden går til å vente på dem (en lukket fanes kjerne, en kjerne som starter).
    run_pytest "pytest (enhet, widget, integrasjon)" tests/unit tests/ui tests/integration \
        -n 2 --durations=15
    run_pytest "pytest (nettleser)" tests/e2e -n 2 --dist loadfile --durations=15
    bash scripts/pg-test.sh stop
    unset HELSETILBUD_TEST_PG_URL
else
    echo "Klarte ikke å starte PostgreSQL; testene kjøres ikke." >&2
    failed+=("PostgreSQL")
fi

section "Notatbøker (nbval)"
shopt -s nullglob
notebooks=(notebooks/*.ipynb)
shopt -u nullglob
if [[ ${#notebooks[@]} -eq 0 ]]; then
    echo "Ingen notatbøker i notebooks/; hopper over."
else
    sample_db="sqlite:///$work/sample.sqlite"
    echo "Lager eksempeldatabasen ($sample_db) ..."
    if .venv/bin/helsetilbud init --sample --seed 7 --db "$sample_db"; then
        HELSETILBUD_DB_URL="$sample_db" HELSETILBUD_TODAY=2026-11-26 HELSETILBUD_USER=analytiker \
            run_pytest "nbval" --nbval-lax --nbval-current-env "${notebooks[@]}"
    else
        echo "helsetilbud init --sample feilet; notatbøkene kjøres ikke." >&2
        failed+=("helsetilbud init --sample")
    fi
fi

section "Resultat"
if [[ ${#failed[@]} -gt 0 ]]; then
    printf -v list '%s, ' "${failed[@]}"
    echo "FEILET: ${list%, }"
    exit 1
fi
echo "Alt gikk bra."
