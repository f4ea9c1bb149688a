# Tests send parameters the SDK types forbid on purpose and read Optional fields the
# scenario guarantees; those checks are mypy noise here.
# mypy: disable-error-code="union-attr,arg-type,typeddict-item,typeddict-unknown-key,index"
"""Refused requests change nothing; odd input is a 4xx, never a crash; key masking, API
version, and a reset that overtakes a request in flight."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
from typing import Any

import pytest
import stripe

from stripe_emulator.errors import masked_key
from stripe_emulator.testing import RunningEmulator

from .helpers import SECRET_KEY, Receiver, bearer, line, raw, session

LINES = {"line_items": [{"product_name": "A", "quantity": 1, "unit_cost": 1000}]}


class TestAtomicUpdates:
    def test_refused_update_changes_nothing(self, client: stripe.StripeClient) -> None:
        """An amount that no longer matches the line items refuses the whole update."""
        intent = client.v1.payment_intents.create(
            params={"amount": 1000, "currency": "usd", "amount_details": LINES}
        )
        with pytest.raises(stripe.InvalidRequestError):
            client.v1.payment_intents.update(
                intent.id, params={"amount": 2000, "description": "changed",
                                   "metadata": {"a": "1"}}
            )  # fmt: skip
        again = client.v1.payment_intents.retrieve(intent.id)
        assert (again.amount, again.description, again.metadata.to_dict()) == (1000, None, {})

    def test_refused_line_items_are_not_saved(self, client: stripe.StripeClient) -> None:
        """Line items that do not add up are refused and the old ones stay."""
        intent = client.v1.payment_intents.create(
            params={"amount": 1000, "currency": "usd", "amount_details": LINES}
        )
        bad = {"line_items": [{"product_name": "B", "quantity": 3, "unit_cost": 7}]}
        with pytest.raises(stripe.InvalidRequestError):
            client.v1.payment_intents.update(intent.id, params={"amount_details": bad})
        again = client.v1.payment_intents.retrieve(
            intent.id, params={"expand": ["amount_details.line_items"]}
        )
        names = [(li.product_name, li.quantity) for li in again.amount_details.line_items.data]
        assert names == [("A", 1)]

    def test_refused_confirm_changes_nothing(self, client: stripe.StripeClient) -> None:
        """A confirm refused for its missing return_url keeps the receipt email unchanged."""
        intent = client.v1.payment_intents.create(params={"amount": 1000, "currency": "usd"})
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.payment_intents.confirm(
                intent.id,
                params={"payment_method": "pm_card_visa", "receipt_email": "a@example.com"},
            )
        assert caught.value.param == "return_url"
        again = client.v1.payment_intents.retrieve(intent.id)
        assert (again.receipt_email, again.status) == (None, "requires_payment_method")


class TestNoCrashes:
    @pytest.mark.parametrize(
        ("body", "param"),
        [("amount=%C2%B2&currency=usd", "amount"),  # "²" is a digit to str.isdigit()
         ("amount=500&currency=usd&amount_details[line_items][%C2%B2][product_name]=A",
          "amount_details[line_items]")],
    )  # fmt: skip
    def test_unicode_digits(self, emulator: RunningEmulator, body: str, param: str) -> None:
        """Superscript digits are a 400 naming the parameter, not a text/plain 500."""
        status, headers, answer = raw(emulator, "POST", "/v1/payment_intents", body,
                                      bearer(SECRET_KEY))  # fmt: skip
        assert status == 400
        assert headers["Content-Type"].startswith("application/json")
        assert answer["error"]["param"] == param

    @pytest.mark.parametrize("month", [None, "²", 1.5, True])
    def test_hosted_pay_with_odd_expiry(
        self, client: stripe.StripeClient, emulator: RunningEmulator, month: Any
    ) -> None:
        """A null or odd exp_month on the hosted pay route is Stripe's 402, not a 500."""
        created = session(client, [line(1000)])
        card = {"number": "4242424242424242", "exp_month": month, "exp_year": "2040",
                "cvc": "123"}  # fmt: skip
        with pytest.raises(urllib.error.HTTPError) as caught:
            emulator._call("POST", f"/_emulator/checkout/{created.id}/pay", {"card": card})
        assert caught.value.code == 402
        assert json.loads(caught.value.read())["error"]["code"] == "invalid_expiry_month"

    def test_unexpected_exception_is_stripe_json_500(
        self, client: stripe.StripeClient, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture,
    ) -> None:  # fmt: skip
        """A bug in a handler answers Stripe's JSON api_error, logged with its traceback."""

        def boom(*args: Any) -> Any:
            raise RuntimeError("bug")

        monkeypatch.setattr("stripe_emulator.api.expand", boom)
        with pytest.raises(stripe.APIError) as caught:
            client.v1.payment_intents.create(
                params={"amount": 500, "currency": "usd", "expand": ["latest_charge"]}
            )
        assert caught.value.http_status == 500
        assert caught.value.error.type == "api_error"
        assert any(r.exc_info and "bug" in str(r.exc_info[1]) for r in caplog.records)


class TestKeysAndVersions:
    @pytest.mark.parametrize(
        ("key", "shown"),
        [("sk_test_wrongkeyabcd", "sk_test_********abcd"),
         ("sk_test_ab12", "sk_test_********"),
         ("sk_test_abcdefghijk", "sk_test_********"),
         ("whatever", "********")],
    )  # fmt: skip
    def test_masking_never_leaks_a_short_key(self, key: str, shown: str) -> None:
        """The last four are shown only when at least eight characters stay hidden."""
        assert masked_key(key) == shown

    def test_unpublished_api_version_is_refused(self, emulator: RunningEmulator) -> None:
        """A well-formed version Stripe never published is a 400 naming it."""
        unpublished = {**bearer(SECRET_KEY), "Stripe-Version": "2024-06-21"}
        status, headers, body = raw(emulator, "GET", "/v1/payment_intents", None, unpublished)
        assert status == 400
        assert body["error"]["message"] == "Invalid Stripe API version: 2024-06-21"
        assert headers["Stripe-Version"] == stripe.api_version


class TestResetInFlight:
    def test_events_of_a_request_overtaken_by_reset_are_dropped(
        self, emulator: RunningEmulator, hooked_client: stripe.StripeClient, receiver: Receiver
    ) -> None:
        """A create still running when the state is reset delivers nothing afterwards."""
        emulator.set_fault("POST /v1/payment_intents", latency_ms=400)
        done = threading.Thread(
            target=hooked_client.v1.payment_intents.create,
            kwargs={"params": {"amount": 500, "currency": "usd"}},
        )
        done.start()
        time.sleep(0.15)
        emulator.reset()
        done.join()
        emulator.flush_webhooks()
        assert receiver.received == []
        assert emulator.webhook_deliveries() == []
