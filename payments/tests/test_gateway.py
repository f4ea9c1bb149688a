"""The gateway against the emulator: accounts, request shapes, idempotency, error translation."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
import stripe
from hypothesis import given
from hypothesis import strategies as st

from catalog.services import get_order_with_lines
from catalog.tests.factories import (
    make_amount_discount,
    make_item,
    make_order,
    make_percent_discount,
    make_tax,
)
from catalog.totals import DiscountInput, LineInput, TaxInput, compute_order_totals, compute_totals
from payments.exceptions import StripeBusy, StripeUnavailable
from payments.gateway.accounts import get_account, get_stripe_client
from payments.gateway.line_items import build_amount_details
from payments.gateway.payment_intents import (
    build_intent_request,
    create_payment_intent,
    retrieve_payment_intent,
    update_payment_intent,
)
from testing.accounts import SECRET_KEYS

pytestmark = pytest.mark.django_db


def _request(order):
    return build_intent_request(order, compute_order_totals(order))


lines = st.lists(
    st.builds(
        LineInput,
        description=st.sampled_from(["Tea cup", "Чайник", "Pot"]),
        unit_amount=st.integers(0, 500_000),
        quantity=st.integers(1, 999),
    ),
    min_size=1,
    max_size=6,
)
discounts = (
    st.none()
    | st.builds(
        DiscountInput,
        percent_off=st.decimals(Decimal("0.01"), Decimal(100), places=2),
        amount_off=st.none(),
    )
    | st.builds(DiscountInput, percent_off=st.none(), amount_off=st.integers(1, 10**7))
)
taxes = st.none() | st.builds(
    TaxInput,
    percentage=st.decimals(Decimal("0.0001"), Decimal(100), places=4),
    inclusive=st.booleans(),
)


class TestAmountDetails:
    @given(lines=lines, discount=discounts, tax=taxes)
    def test_line_items_add_up_to_the_amount_with_valid_fields(self, lines, discount, tax):
        """sum(unit_cost * quantity - discount + tax) is the total, and each field is in range."""
        totals = compute_totals(currency="usd", lines=lines, discount=discount, tax=tax)
        details = build_amount_details(totals, has_tax=tax is not None)
        sent_lines = details["line_items"]
        assert isinstance(sent_lines, list)
        added = 0
        for sent, line in zip(sent_lines, totals.lines, strict=True):
            assert sent["quantity"] == line.quantity > 0
            assert sent["unit_cost"] >= 0
            assert sent.get("discount_amount", 1) > 0  # left out rather than 0
            assert ("tax" in sent) == (tax is not None)
            line_tax = sent["tax"]["total_tax_amount"] if "tax" in sent else 0
            assert line_tax == line.tax
            added += sent["unit_cost"] * sent["quantity"] - sent.get("discount_amount", 0)
            added += line_tax
        assert added == totals.total

    def test_exclusive_tax_reports_prices_as_they_are(self):
        """With exclusive tax, amount_details reports the lines, discount and tax as charged."""
        totals = compute_totals(
            currency="usd",
            lines=[LineInput("Tea cup", 1500, 2)],
            discount=DiscountInput(percent_off=Decimal(20), amount_off=None),
            tax=TaxInput(percentage=Decimal("8.25"), inclusive=False),
        )
        assert build_amount_details(totals, has_tax=True) == {
            "line_items": [
                {
                    "product_name": "Tea cup",
                    "quantity": 2,
                    "unit_cost": 1500,
                    "discount_amount": 600,
                    "tax": {"total_tax_amount": 198},
                }
            ]
        }

    def test_included_tax_is_taken_out_of_the_unit_cost(self):
        """1000 with 20% VAT included: 833.33 net per unit, so 834 and 1 of rounding discount."""
        totals = compute_totals(
            currency="eur",
            lines=[LineInput("Kettle", 1000, 1)],
            discount=None,
            tax=TaxInput(percentage=Decimal(20), inclusive=True),
        )
        assert build_amount_details(totals, has_tax=True)["line_items"] == [
            {
                "product_name": "Kettle",
                "quantity": 1,
                "unit_cost": 833,
                "tax": {"total_tax_amount": 167},
            }
        ]

    def test_more_lines_than_stripe_takes_send_only_the_totals(self):
        """Beyond the lines Stripe takes, amount_details sends only the totals."""
        many = [LineInput(f"Item {n}", 100, 1) for n in range(201)]
        totals = compute_totals(
            currency="usd",
            lines=many,
            discount=DiscountInput(percent_off=Decimal(10), amount_off=None),
            tax=None,
        )
        assert build_amount_details(totals, has_tax=False) == {"discount_amount": totals.discount}


class TestCreatePaymentIntent:
    @pytest.mark.parametrize(
        ("discount", "tax"),
        [
            (None, None),
            ("percent", "exclusive"),
            ("amount", "inclusive"),
            ("percent", "inclusive"),
        ],
    )
    def test_stripe_accepts_the_line_items(self, stripe_accounts, discount, tax):
        """The emulator checks Stripe's arithmetic; every discount and tax kind passes it."""
        currency = "eur" if tax == "inclusive" else "usd"
        order = make_order(
            lines=[
                (make_item(price="15.00", currency=currency), 2),
                (make_item(name="Pot", price="7.99", currency=currency), 3),
            ],
            discount={
                None: None,
                "percent": make_percent_discount(percent="12.5"),
                "amount": make_amount_discount(amount="3.33", currency=currency),
            }[discount],
            tax=None if tax is None else make_tax(percentage="19", inclusive=tax == "inclusive"),
        )
        order = get_order_with_lines(order.pk)
        totals = compute_order_totals(order)
        intent = create_payment_intent(get_account(currency), order, _request(order), attempt=0)
        assert (intent.amount, intent.currency, intent.status) == (
            totals.total,
            currency,
            "requires_payment_method",
        )
        assert intent.client_secret.startswith(f"{intent.id}_secret_")
        sent = stripe_accounts.requests()[-1]["params"]
        assert sent["metadata"] == {"order_id": str(order.pk)}
        assert sent["automatic_payment_methods"] == {"enabled": "true"}

    def test_each_currency_uses_its_own_account(self, stripe_accounts):
        """A usd PaymentIntent exists in the usd account only, and likewise for eur."""
        made = {}
        for currency in ("usd", "eur"):
            order = get_order_with_lines(make_order(lines=[(make_item(currency=currency), 1)]).pk)
            made[currency] = create_payment_intent(
                get_account(currency), order, _request(order), attempt=0
            )
        accounts = {r["params"]["currency"]: r["account"] for r in stripe_accounts.requests()}
        assert accounts == {"usd": "shopusd", "eur": "shopeur"}
        usd_client = get_stripe_client(get_account("usd"))
        with pytest.raises(stripe.InvalidRequestError):
            usd_client.v1.payment_intents.retrieve(made["eur"].id)
        assert retrieve_payment_intent(get_account("eur"), made["eur"].id).id == made["eur"].id

    def test_the_same_request_twice_returns_the_same_payment_intent(self, stripe_accounts):
        """A retry after a lost response replays the first PaymentIntent (idempotency key)."""
        order = get_order_with_lines(make_order().pk)
        first = create_payment_intent(get_account("usd"), order, _request(order), attempt=0)
        again = create_payment_intent(get_account("usd"), order, _request(order), attempt=0)
        assert again.id == first.id
        assert [r["replayed"] for r in stripe_accounts.requests()] == [False, True]

    def test_a_changed_order_gets_a_new_key_not_an_idempotency_error(self, stripe_accounts):
        """A changed order's create gets a new idempotency key, so a new PaymentIntent."""
        order = get_order_with_lines(make_order().pk)
        first = create_payment_intent(get_account("usd"), order, _request(order), attempt=0)
        line = order.lines.get()
        line.quantity += 1
        line.save()
        order = get_order_with_lines(order.pk)
        second = create_payment_intent(get_account("usd"), order, _request(order), attempt=0)
        assert second.id != first.id
        assert second.amount == compute_order_totals(order).total

    def test_update_changes_amount_and_line_items_together(self, stripe_accounts):
        """An update changes the amount and the line items of the same PaymentIntent at once."""
        order = get_order_with_lines(make_order().pk)
        intent = create_payment_intent(get_account("usd"), order, _request(order), attempt=0)
        make_item(name="Saucer", price="4.00")
        order.lines.create(item=make_item(name="Saucer", price="4.00"), quantity=2)
        order = get_order_with_lines(order.pk)
        updated = update_payment_intent(get_account("usd"), intent.id, _request(order))
        assert updated.id == intent.id
        assert updated.amount == 3000 + 800
        sent = stripe_accounts.requests()[-1]["params"]["amount_details"]["line_items"]
        assert [line["product_name"] for line in sent.values()] == ["Tea cup", "Saucer"]


class TestStripeFailures:
    @pytest.fixture
    def order(self, stripe_accounts):
        return get_order_with_lines(make_order().pk)

    def create(self, order):
        return create_payment_intent(get_account("usd"), order, _request(order), attempt=0)

    def test_a_500_becomes_stripe_unavailable(self, stripe_accounts, order, settings):
        """A Stripe 500 becomes StripeUnavailable (502)."""
        settings.STRIPE_MAX_NETWORK_RETRIES = 0
        stripe_accounts.set_fault("POST /v1/payment_intents", error="api_error")
        with pytest.raises(StripeUnavailable) as raised:
            self.create(order)
        assert raised.value.status_code == 502

    def test_a_timed_out_attempt_is_retried_by_the_client(self, stripe_accounts, order, settings):
        """With network retries on, one unanswered request costs a retry, not the payment."""
        settings.STRIPE_TIMEOUT_SECONDS = 1
        settings.STRIPE_MAX_NETWORK_RETRIES = 1
        stripe_accounts.set_fault("POST /v1/payment_intents", error="hang", count=1)
        assert self.create(order).status == "requires_payment_method"

    def test_a_500_is_replayed_to_the_clients_retry(self, stripe_accounts, order, settings):
        """Stripe stores a 500 under its idempotency key, so the SDK's retry gets it again and
        the create fails as StripeUnavailable rather than pretending to have worked."""
        settings.STRIPE_MAX_NETWORK_RETRIES = 1
        stripe_accounts.set_fault("POST /v1/payment_intents", error="api_error", count=1)
        with pytest.raises(StripeUnavailable):
            self.create(order)
        assert get_stripe_client(get_account("usd")).v1.payment_intents.list().data == []

    def test_a_429_becomes_stripe_busy(self, stripe_accounts, order, settings):
        """A Stripe 429 becomes StripeBusy (503)."""
        settings.STRIPE_MAX_NETWORK_RETRIES = 0
        stripe_accounts.set_fault("POST /v1/payment_intents", error="rate_limit")
        with pytest.raises(StripeBusy) as raised:
            self.create(order)
        assert raised.value.status_code == 503

    def test_a_hanging_stripe_fails_within_the_timeout(self, stripe_accounts, order, settings):
        """A Stripe that never answers fails after the configured timeout."""
        settings.STRIPE_TIMEOUT_SECONDS = 1
        settings.STRIPE_MAX_NETWORK_RETRIES = 0
        stripe_accounts.set_fault("POST /v1/payment_intents", error="hang")
        started = time.monotonic()
        with pytest.raises(StripeUnavailable):
            self.create(order)
        assert time.monotonic() - started < 3

    def test_a_bad_key_is_logged_and_becomes_stripe_unavailable(
        self, stripe_accounts, order, settings, caplog
    ):
        """A key Stripe refuses is logged without the key and becomes StripeUnavailable."""
        settings.STRIPE_ACCOUNTS = {
            **settings.STRIPE_ACCOUNTS,
            "usd": {**settings.STRIPE_ACCOUNTS["usd"], "secret_key": "sk_live_nosuchaccount"},
        }
        with pytest.raises(StripeUnavailable):
            self.create(order)
        assert "AuthenticationError" in caplog.text
        assert SECRET_KEYS["usd"] not in caplog.text
