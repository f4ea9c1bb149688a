"""No database connection to be had: 503 with Retry-After, JSON for the JSON endpoints and a
page otherwise, in the buyer's language; never a 500. (PostgreSQL's connection limit and pool
under gunicorn: test_db_connections.py.)"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from catalog.tests.factories import make_order

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_gone() -> Iterator[None]:
    """The database can't be opened: SQLite pointed at a file in a directory that doesn't
    exist, as a real outage looks to Django (OperationalError on connect)."""
    if connection.vendor != "sqlite":
        pytest.skip("swaps SQLite's file; PostgreSQL's limits are tested under gunicorn")
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = "/nonexistent-directory/db.sqlite3"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


class TestNoDatabaseConnection:
    def test_a_page_answers_a_503_page_with_retry_after(self, client, database_gone):
        """A page: the shop's 503 page, Retry-After, in the buyer's language."""
        response = client.get("/", headers={"accept-language": "ru"})
        assert response.status_code == 503
        assert response["Retry-After"] == "5"
        page = response.content.decode()
        assert '<html lang="ru">' in page
        assert "Магазин сейчас перегружен, деньги не списаны." in page

    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("post", "/order/1/payment-intent"),
            ("post", "/item/1/payment-intent"),
            ("get", "/buy/1"),
            ("get", "/order/1/buy"),
            ("post", "/payments/webhook/usd/"),
        ],
    )
    def test_json_endpoints_answer_json_503_with_retry_after(
        self, client, database_gone, method, path
    ):
        """The card form's fetch, /buy/<id> and Stripe's webhook get JSON `{"error": …}`."""
        response = getattr(client, method)(path)
        assert response.status_code == 503
        assert response["Retry-After"] == "5"
        assert response.json() == {
            "error": "The shop is busy right now and nothing was charged. Please try again shortly."
        }

    def test_healthz_reports_the_database_in_its_own_format(self, client, database_gone):
        """/healthz keeps its own answer for load balancers, with Retry-After."""
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "error", "database": "unavailable"}
        assert response["Retry-After"] == "5"

    def test_with_the_database_back_the_same_request_succeeds(self, client):
        """The control: the same client and paths answer normally with a database."""
        order = make_order()
        assert client.get(f"/order/{order.pk}").status_code == 200
        assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
