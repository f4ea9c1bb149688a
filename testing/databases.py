"""Waiting for the live server's database work to end before a test's database is emptied."""

from __future__ import annotations

import time

from django.db import connection

# The test database's other connections (the live server's request threads), busy in a
# statement or a transaction. Other test databases (pytest-xdist's workers) are left out.
_BUSY_ELSEWHERE = (
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'"
)


def wait_until_other_connections_idle(timeout: float) -> bool:
    """Wait, at most `timeout` seconds, until no other connection to this test database is in
    a statement or a transaction; whether it came to that. Only PostgreSQL can say, and only
    it deadlocks a TRUNCATE against a request's row locks (SQLite makes the one wait)."""
    if connection.vendor != "postgresql":
        return True
    deadline = time.monotonic() + timeout
    while True:
        with connection.cursor() as cursor:
            cursor.execute(_BUSY_ELSEWHERE)
            row = cursor.fetchone()
        if row is None or row[0] == 0:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
