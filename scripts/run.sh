#!/usr/bin/env bash
# `make run`: migrate, load the demo catalog, make an admin account, and serve the shop on
# http://127.0.0.1:$PORT. With no Stripe secret key in the environment it also starts the offline
# Stripe emulator and points the shop at it. Ctrl-C stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PORT="${PORT:-8000}"
export DJANGO_DEBUG="${DJANGO_DEBUG:-true}"
# Where Stripe sends buyers back (Checkout's success and cancel pages, the card form's result).
export SITE_URL="${SITE_URL:-http://127.0.0.1:${PORT}}"
# The development server runs a thread per request: with PostgreSQL, each would otherwise keep its
# connection open (a pool or CONN_MAX_AGE). Here every request closes its own.
export DATABASE_POOL_SIZE="${DATABASE_POOL_SIZE:-0}" DATABASE_CONN_MAX_AGE="${DATABASE_CONN_MAX_AGE:-0}"
export STRIPE_CURRENCIES="${STRIPE_CURRENCIES:-usd,eur}"

started=()
stop_all() {
    for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop_all EXIT
trap 'exit 130' INT TERM

any_key=""
for currency in ${STRIPE_CURRENCIES//,/ }; do
    var="STRIPE_${currency^^}_SECRET_KEY"
    any_key+="${!var:-}"
done

if [ -z "$any_key" ]; then
    emulator_port="${STRIPE_EMULATOR_PORT:-12111}"
    emulator_url="http://127.0.0.1:${emulator_port}"
    accounts=()
    for currency in ${STRIPE_CURRENCIES//,/ }; do
        upper="${currency^^}"
        export "STRIPE_${upper}_SECRET_KEY=sk_test_emulator_${currency}"
        export "STRIPE_${upper}_PUBLISHABLE_KEY=pk_test_emulator_${currency}"
        export "STRIPE_${upper}_WEBHOOK_SECRET=whsec_emulator_${currency}_local_only"
        accounts+=(--account "sk_test_emulator_${currency},http://127.0.0.1:${PORT}/payments/webhook/${currency}/,whsec_emulator_${currency}_local_only")
    done
    export STRIPE_API_BASE="$emulator_url"
    # The emulator's copy of the Stripe.js release the shop uses (settings.STRIPE_JS_RELEASE).
    export STRIPE_JS_URL="${emulator_url}/endive/stripe.js"
    # Its objects live in a file beside the database, so a restart keeps the shop's Stripe ids.
    emulator_state="${STRIPE_EMULATOR_STATE:-db.stripe-emulator.json}"
    $PY -m stripe_emulator --port "$emulator_port" --state "$emulator_state" "${accounts[@]}" &
    started+=("$!")
    $PY - "$emulator_url" <<'PYWAIT'
import sys, time, urllib.request
for _ in range(100):
    try:
        urllib.request.urlopen(sys.argv[1] + "/_emulator/health", timeout=1)
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("The Stripe emulator did not start.")
PYWAIT
    echo
    echo "  No Stripe keys are set: using the offline Stripe emulator at ${emulator_url}"
    echo "  (test mode only, no money moves). Test card: 4242 4242 4242 4242, any future date, any CVC."
    echo
fi

$PY manage.py migrate --no-input
$PY manage.py load_demo_data
$PY manage.py ensure_admin
echo
echo "  The shop:  http://127.0.0.1:${PORT}/"
echo "  Admin:     http://127.0.0.1:${PORT}/admin/"
echo
$PY manage.py runserver "127.0.0.1:${PORT}" &
started+=("$!")
wait "${started[-1]}"
