# Tests send parameters the SDK types forbid on purpose and read Optional fields the
# scenario guarantees; those checks are mypy noise here.
# mypy: disable-error-code="union-attr,arg-type,typeddict-item,typeddict-unknown-key,index"
"""Checkout Sessions through stripe-python: totals, shapes, validation, lifecycle."""

from __future__ import annotations

import json
import re
import urllib.error
from typing import Any

import pytest
import stripe

from stripe_emulator.testing import RunningEmulator

from .helpers import Receiver, line, pay, session


def rate(client: stripe.StripeClient, percentage: float, inclusive: bool) -> str:
    return client.v1.tax_rates.create(
        params={"display_name": "Tax", "percentage": percentage, "inclusive": inclusive}
    ).id


def coupon(client: stripe.StripeClient, **params: Any) -> str:
    return client.v1.coupons.create(params=params).id


class TestTotals:
    def test_example_b_session_and_line_items(self, client: stripe.StripeClient) -> None:
        """Coupon and exclusive tax end to end: session totals, per-line amounts, breakdown."""
        vat = rate(client, 8.25, False)
        created = session(
            client, [line(1500, 2, rates=[vat]), line(999, rates=[vat])],
            discounts=[{"coupon": coupon(client, percent_off=20)}],
            expand=["total_details.breakdown"],
        )  # fmt: skip
        assert (created.amount_subtotal, created.amount_total) == (3999, 3463)
        assert (created.total_details.amount_discount, created.total_details.amount_tax) == (
            800, 264,
        )  # fmt: skip
        assert created.total_details.breakdown.taxes[0].taxable_amount == 3199
        items = client.v1.checkout.sessions.line_items.list(
            created.id, params={"expand": ["data.taxes", "data.discounts"]}
        ).data
        assert [(i.amount_subtotal, i.amount_discount, i.amount_tax, i.amount_total)
                for i in items] == [(3000, 600, 198, 2598), (999, 200, 66, 865)]  # fmt: skip
        assert items[0].taxes[0].rate.id == vat
        assert items[0].discounts[0].amount == 600
        assert items[0].price.unit_amount == 1500
        assert items[0].description == "Item"

    def test_example_d_amount_coupon_inclusive(self, client: stripe.StripeClient) -> None:
        """Inclusive tax after a coupon: 600 off, 20 % inclusive: total 3400, tax 567."""
        vat = rate(client, 20, True)
        created = session(
            client,
            [line(1000, rates=[vat]), line(3000, rates=[vat])],
            discounts=[{"coupon": coupon(client, amount_off=600, currency="usd")}],
        )
        assert (created.amount_total, created.total_details.amount_tax) == (3400, 567)

    def test_example_c_and_a(self, client: stripe.StripeClient) -> None:
        """Inclusive tax alone, and a percent coupon without tax."""
        c = session(client, [line(1000, rates=[rate(client, 20, True)])])
        assert (c.amount_total, c.total_details.amount_tax) == (1000, 167)
        a = session(client, [line(1500, 2), line(999)],
                    discounts=[{"coupon": coupon(client, percent_off=20)}])  # fmt: skip
        assert (a.amount_total, a.total_details.amount_discount) == (3199, 800)

    def test_yen(self, client: stripe.StripeClient) -> None:
        """Zero-decimal JPY: whole yen throughout."""
        created = session(client, [line(1999, currency="jpy", rates=[rate(client, 10, False)])],
                          discounts=[{"coupon": coupon(client, percent_off=10)}])  # fmt: skip
        assert (created.currency, created.amount_total) == ("jpy", 1979)


class TestShapeAndValidation:
    def test_shape(self, client: stripe.StripeClient, emulator: RunningEmulator) -> None:
        """Stripe's id format, open with a hosted URL, no PaymentIntent yet, 24 h expiry."""
        created = session(client, [line(1000)])
        assert re.fullmatch(r"cs_test_[ab]1[A-Za-z0-9]{56}", created.id)
        assert created.url == f"{emulator.url}/c/pay/{created.id}"
        assert (created.status, created.payment_status, created.payment_intent) == (
            "open", "unpaid", None,
        )  # fmt: skip
        assert created.expires_at - created.created == 24 * 3600
        assert not hasattr(created, "line_items") or created.line_items is None

    @pytest.mark.parametrize(
        ("lines", "extra", "param"),
        [
            ([line(1000), line(500, currency="eur")], {}, "line_items[1][price_data][currency]"),
            ([line(1000)] * 101, {}, "line_items"),
            ([line(1000)], {"discounts": [{"coupon": "A"}, {"coupon": "B"}]}, "discounts"),
            ([line(1000)], {"discounts": [{"coupon": "NOPE"}]}, "discounts[0][coupon]"),
            ([line(1000)], {"expires_at": 1}, "expires_at"),
            ([line(10)], {}, "line_items"),
            ([{"price_data": {"currency": "usd", "unit_amount": 100,
                              "product_data": {"name": "x"}}}], {}, "line_items[0][quantity]"),
        ],
    )  # fmt: skip
    def test_refusals(
        self, client: stripe.StripeClient, lines: list[Any], extra: dict[str, Any], param: str
    ) -> None:
        """Mixed currencies, >100 lines, two discounts, missing coupon, bad expiry, tiny total."""
        with pytest.raises(stripe.InvalidRequestError) as caught:
            session(client, lines, **extra)
        assert caught.value.error.param == param

    def test_amount_off_coupon_currency_must_match(self, client: stripe.StripeClient) -> None:
        """An amount-off coupon in another currency is refused."""
        eur = coupon(client, amount_off=100, currency="eur")
        with pytest.raises(stripe.InvalidRequestError):
            session(client, [line(1000)], discounts=[{"coupon": eur}])

    def test_payment_method_types_is_gone(self, client: stripe.StripeClient) -> None:
        """Checkout Sessions do not take payment_method_types on endive either."""
        with pytest.raises(stripe.InvalidRequestError) as caught:
            session(client, [line(1000)], payment_method_types=["card"])
        assert caught.value.code == "parameter_unknown"

    def test_quantity_zero_and_missing(self, client: stripe.StripeClient) -> None:
        """quantity=0 is `parameter_invalid_integer` naming the item's quantity; no quantity
        is Stripe's "Quantity is required" `parameter_missing`."""
        with pytest.raises(stripe.InvalidRequestError) as caught:
            session(client, [line(1000, quantity=0)])
        error = caught.value.error
        assert (error.code, error.param, error.message) == (
            "parameter_invalid_integer", "line_items[0][quantity]",
            "This value must be greater than or equal to 1.",
        )  # fmt: skip
        without = {k: v for k, v in line(1000).items() if k != "quantity"}
        with pytest.raises(stripe.InvalidRequestError) as caught:
            session(client, [without])
        error = caught.value.error
        assert (error.code, error.param, error.message) == (
            "parameter_missing", "line_items[0][quantity]",
            "Quantity is required. Add `quantity` to `line_items[0]`",
        )  # fmt: skip


class TestLifecycle:
    def test_pay_completes_the_session(
        self, hooked_client: stripe.StripeClient, emulator: RunningEmulator, receiver: Receiver
    ) -> None:
        """Paying on the hosted page: PI made for amount_total, session complete, events sent."""
        created = session(hooked_client, [line(2500)],
                          payment_intent_data={"metadata": {"order_id": "9"}})  # fmt: skip
        result = pay(emulator, created.id)
        assert result == {"status": "complete",
                          "redirect_url": f"https://shop/ok?cs={created.id}"}  # fmt: skip
        done = hooked_client.v1.checkout.sessions.retrieve(
            created.id, params={"expand": ["payment_intent"]}
        )
        assert (done.status, done.payment_status, done.url) == ("complete", "paid", None)
        assert done.payment_intent.amount == 2500
        assert done.payment_intent.metadata.to_dict() == {"order_id": "9"}
        emulator.flush_webhooks()
        assert "checkout.session.completed" in {e["type"] for e in receiver.events()}

    def test_decline_keeps_session_open_and_reuses_the_intent(
        self, client: stripe.StripeClient, emulator: RunningEmulator
    ) -> None:
        """A declined card leaves the session open; the retry uses the same PaymentIntent."""
        created = session(client, [line(2500)])
        with pytest.raises(urllib.error.HTTPError) as caught:
            pay(emulator, created.id, "4000000000000002")
        assert caught.value.code == 402
        assert json.loads(caught.value.read())["error"]["decline_code"] == "generic_decline"
        result = pay(emulator, created.id)
        assert result["status"] == "complete"
        assert len(client.v1.payment_intents.list().data) == 1

    def test_three_d_secure_then_complete(
        self, client: stripe.StripeClient, emulator: RunningEmulator
    ) -> None:
        """A 3DS card pauses at requires_action; completing the challenge completes the session."""
        created = session(client, [line(2500)])
        result = pay(emulator, created.id, "4000002760003184")
        assert result["status"] == "requires_action"
        intent = emulator._call("POST", f"/_emulator/3ds/{result['payment_intent']}/complete",
                                {"client_secret": result["client_secret"]})  # fmt: skip
        assert intent["status"] == "succeeded"
        assert "metadata" not in intent
        assert client.v1.checkout.sessions.retrieve(created.id).status == "complete"

    def test_expire_and_clock(self, client: stripe.StripeClient, emulator: RunningEmulator) -> None:
        """Expire answers Stripe's wording when repeated; the clock expires open sessions."""
        first = session(client, [line(1000)])
        expired = client.v1.checkout.sessions.expire(first.id)
        assert (expired.status, expired.url) == ("expired", None)
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.checkout.sessions.expire(first.id)
        assert "has a status of `expired`" in (caught.value.user_message or "")
        second = session(client, [line(1000)])
        emulator.advance_clock(24 * 3600 + 1)
        assert client.v1.checkout.sessions.retrieve(second.id).status == "expired"
        kinds = [e.type for e in client.v1.events.list(params={"type": "checkout.session.*"}).data]
        assert kinds == ["checkout.session.expired", "checkout.session.expired"]

    def test_page_data(self, client: stripe.StripeClient, emulator: RunningEmulator) -> None:
        """The browser side's JSON: session, expanded items, pk, success URL, notice."""
        created = session(client, [line(1000, rates=[rate(client, 10, False)])])
        data = emulator._call("GET", f"/_emulator/checkout/{created.id}")
        assert data["session"]["id"] == created.id
        assert data["line_items"][0]["taxes"][0]["amount"] == 100
        assert data["publishable_key"] == "pk_test_emucore"
        assert data["success_redirect_url"] == f"https://shop/ok?cs={created.id}"
        assert "no money" in data["emulator_notice"]
