#!/bin/sh
# The `clock` process (Procfile, docker-compose.yml): the scheduled commands in a loop, for hosts
# without a scheduler (README "Scheduled jobs"). One copy is enough; a second is safe (row locks
# with SKIP LOCKED split the work). A failed run is logged and the loop carries on: the next run
# picks up what it left.
interval="${CLOCK_INTERVAL_SECONDS:-600}"
while true; do
    python manage.py reconcile_payments || echo "clock: reconcile_payments failed (exit $?)"
    python manage.py sweep_abandoned || echo "clock: sweep_abandoned failed (exit $?)"
    sleep "$interval"
done
