"""The test teardown's wait for the live server's database work (`testing.databases`)."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection

from testing.databases import wait_until_other_connections_idle

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="only PostgreSQL says what others are doing"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_waits_for_another_connections_transaction_and_no_longer():
    """Another connection inside a transaction keeps the wait going; its commit ends the wait."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as other:
        other.execute("SELECT 1")  # a transaction is open until commit
        assert wait_until_other_connections_idle(timeout=0.2) is False
        other.commit()
        assert wait_until_other_connections_idle(timeout=5) is True
