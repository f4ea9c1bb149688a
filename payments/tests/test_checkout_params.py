"""What the shop would send Stripe for Checkout, and the limits it checks first (no network)."""

from decimal import Decimal

import pytest

from catalog.models import Discount, Order, OrderStatus, Tax
from catalog.totals import DiscountInput, LineInput, Totals, compute_totals
from payments.checkout import check_checkout_limits
from payments.exceptions import OrderNotPayable, PaymentsNotConfigured
from payments.gateway.catalog_sync import (
    build_coupon_params,
    build_tax_rate_params,
    compute_fingerprint,
)
from payments.gateway.checkout import CheckoutLine, CheckoutRequest, build_session_params
from payments.limits import MAX_CHECKOUT_LINES


def a_request(**changes: object) -> CheckoutRequest:
    fields = {
        "order_id": 7,
        "currency": "eur",
        "lines": (CheckoutLine("Tea cup", 1500, 2), CheckoutLine("Teapot", 999, 1)),
        "coupon_id": "SPRING20",
        "tax_rate_id": "txr_123",
        "success_url": "http://shop/payments/checkout/success?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": "http://shop/payments/checkout/cancel/order/7",
        "language": "en",
        "digest": "d" * 64,
    }
    return CheckoutRequest(**{**fields, **changes})  # type: ignore[arg-type]


class TestSessionParams:
    def test_lines_become_price_data_in_minor_units_with_the_tax_rate(self):
        """Each order line is a price_data line item in the order's currency, taxed per line."""
        params = build_session_params(a_request())
        assert params["mode"] == "payment"
        assert params["line_items"] == [
            {
                "price_data": {
                    "currency": "eur",
                    "unit_amount": 1500,
                    "product_data": {"name": "Tea cup"},
                },
                "quantity": 2,
                "tax_rates": ["txr_123"],
            },
            {
                "price_data": {
                    "currency": "eur",
                    "unit_amount": 999,
                    "product_data": {"name": "Teapot"},
                },
                "quantity": 1,
                "tax_rates": ["txr_123"],
            },
        ]

    @pytest.mark.parametrize(
        ("language", "locale"), [("en", "en"), ("ru", "ru"), ("en-us", "en"), ("de", "auto")]
    )
    def test_checkout_speaks_the_pages_language(self, language, locale):
        """The page's language becomes Checkout's `locale`; a language the shop lacks: "auto"."""
        assert build_session_params(a_request(language=language))["locale"] == locale

    def test_discount_is_one_coupon(self):
        """The order's Discount travels as Stripe's one allowed coupon in `discounts`."""
        assert build_session_params(a_request())["discounts"] == [{"coupon": "SPRING20"}]

    def test_no_coupon_or_tax_rate_sends_neither(self):
        """An order without Discount or Tax sends no `discounts` and no `tax_rates`."""
        params = build_session_params(a_request(coupon_id=None, tax_rate_id=None))
        assert "discounts" not in params
        assert all("tax_rates" not in line for line in params["line_items"])

    def test_order_id_travels_in_reference_and_both_metadata(self):
        """client_reference_id, metadata and payment_intent_data.metadata all carry the order."""
        params = build_session_params(a_request())
        assert params["client_reference_id"] == "7"
        assert params["metadata"] == {"order_id": "7"}
        assert params["payment_intent_data"] == {"metadata": {"order_id": "7"}}

    def test_manual_rates_with_automatic_tax_off_and_no_removed_params(self):
        """automatic_tax is off explicitly; endive's removed payment_method_types is not sent."""
        params = build_session_params(a_request())
        assert params["automatic_tax"] == {"enabled": False}
        assert "payment_method_types" not in params
        assert "allow_promotion_codes" not in params  # Stripe refuses it beside `discounts`

    def test_success_url_keeps_the_literal_placeholder(self):
        """{CHECKOUT_SESSION_ID} reaches Stripe unencoded so Stripe can substitute it."""
        params = build_session_params(a_request())
        assert params["success_url"].endswith("?session_id={CHECKOUT_SESSION_ID}")
        assert params["cancel_url"] == "http://shop/payments/checkout/cancel/order/7"


class TestCouponAndTaxRateParams:
    def test_percent_coupon(self):
        """A percent Discount is a percent_off coupon, without currency."""
        discount = Discount(pk=3, name="Spring", percent_off=Decimal("12.50"))
        assert build_coupon_params(discount) == {
            "name": "Spring",
            "metadata": {"discount_id": "3"},
            "percent_off": 12.5,
        }

    def test_amount_coupon_in_minor_units(self):
        """An amount Discount is amount_off in minor units with its currency (JPY: whole yen)."""
        usd = Discount(pk=4, name="Welcome", amount_off=Decimal("6.00"), currency="usd")
        jpy = Discount(pk=5, name="Yen", amount_off=Decimal("300"), currency="jpy")
        assert build_coupon_params(usd)["amount_off"] == 600
        assert build_coupon_params(usd)["currency"] == "usd"
        assert build_coupon_params(jpy)["amount_off"] == 300

    def test_long_names_fit_stripes_coupon_name(self):
        """Stripe takes 40 characters of coupon name; longer Discount names are cut."""
        discount = Discount(pk=3, name="x" * 100, percent_off=Decimal(10))
        assert len(build_coupon_params(discount)["name"]) == 40

    def test_tax_rate_keeps_inclusive_flag_and_exact_percentage(self):
        """A Tax is a tax rate with its percentage (4 decimals survive) and inclusive flag."""
        tax = Tax(pk=2, display_name="Sales tax", percentage=Decimal("8.2500"), inclusive=False)
        assert build_tax_rate_params(tax) == {
            "display_name": "Sales tax",
            "percentage": 8.25,
            "inclusive": False,
            "metadata": {"tax_id": "2"},
        }
        tax = Tax(pk=2, display_name="VAT", percentage=Decimal("20.1234"), inclusive=True)
        assert str(build_tax_rate_params(tax)["percentage"]) == "20.1234"
        assert build_tax_rate_params(tax)["inclusive"] is True

    def test_fingerprint_follows_values_not_formatting(self):
        """20 and 20.00 are one coupon; 20 and 25, or a new name, are different coupons."""
        twenty = build_coupon_params(Discount(pk=1, name="Sale", percent_off=Decimal("20.00")))
        same = build_coupon_params(Discount(pk=1, name="Sale", percent_off=Decimal(20)))
        more = build_coupon_params(Discount(pk=1, name="Sale", percent_off=Decimal(25)))
        renamed = build_coupon_params(Discount(pk=1, name="Big sale", percent_off=Decimal(20)))
        assert compute_fingerprint(twenty) == compute_fingerprint(same)
        assert (
            len(
                {
                    compute_fingerprint(twenty),
                    compute_fingerprint(more),
                    compute_fingerprint(renamed),
                }
            )
            == 3
        )

    def test_tax_fingerprint_changes_with_inclusive_flag(self):
        """Switching a Tax between inclusive and exclusive needs a new Stripe tax rate."""
        exclusive = Tax(pk=1, display_name="VAT", percentage=Decimal(20), inclusive=False)
        inclusive = Tax(pk=1, display_name="VAT", percentage=Decimal(20), inclusive=True)
        assert compute_fingerprint(build_tax_rate_params(exclusive)) != compute_fingerprint(
            build_tax_rate_params(inclusive)
        )


def totals_of(
    lines: list[LineInput], *, currency: str = "usd", discount: DiscountInput | None = None
) -> Totals:
    return compute_totals(currency=currency, lines=lines, discount=discount, tax=None)


class TestLimits:
    """Each limit is refused with its own message before Stripe is called."""

    @pytest.fixture(autouse=True)
    def _currencies(self, settings):
        settings.STRIPE_CURRENCIES = ["usd", "eur", "jpy"]

    def open_order(self, currency: str = "usd") -> Order:
        return Order(currency=currency, status=OrderStatus.OPEN)

    def refused(self, order: Order, totals: Totals, status: int = 400) -> str:
        with pytest.raises(OrderNotPayable) as refusal:
            check_checkout_limits(order, totals)
        assert refusal.value.status_code == status
        return refusal.value.message

    def test_an_ordinary_order_passes(self):
        """Lines, total and currency within Stripe's limits raise nothing."""
        check_checkout_limits(self.open_order(), totals_of([LineInput("Cup", 1500, 2)]))

    def test_more_lines_than_checkout_takes(self):
        """101 distinct lines exceed Checkout's 100; 100 are accepted."""
        hundred = [LineInput(f"Item {n}", 100, 1) for n in range(MAX_CHECKOUT_LINES)]
        check_checkout_limits(self.open_order(), totals_of(hundred))
        message = self.refused(
            self.open_order(), totals_of([*hundred, LineInput("One more", 100, 1)])
        )
        assert "at most 100 different items" in message
        assert "has 101" in message

    def test_below_the_minimum_charge(self):
        """0.49 USD is below Stripe's 0.50; 0.50 passes; JPY's minimum is 50 yen."""
        check_checkout_limits(self.open_order(), totals_of([LineInput("Sweet", 50, 1)]))
        message = self.refused(self.open_order(), totals_of([LineInput("Sweet", 49, 1)]))
        assert "below $0.50" in message
        message = self.refused(
            self.open_order("jpy"), totals_of([LineInput("Sweet", 49, 1)], currency="jpy")
        )
        assert "below ¥50" in message

    def test_above_the_maximum(self):
        """More than 999,999.99 USD is refused."""
        lines = [LineInput("Yacht", 50_000_000, 2)]
        message = self.refused(self.open_order(), totals_of(lines))
        assert "above $999,999.99" in message

    def test_discount_covering_the_whole_order(self):
        """An amount off at or above the subtotal leaves nothing to pay: refused as such."""
        whole = DiscountInput(percent_off=None, amount_off=1500)
        message = self.refused(
            self.open_order(), totals_of([LineInput("Cup", 1500, 1)], discount=whole)
        )
        assert "covers the whole order" in message
        hundred_percent = DiscountInput(percent_off=Decimal(100), amount_off=None)
        message = self.refused(
            self.open_order(), totals_of([LineInput("Cup", 1500, 1)], discount=hundred_percent)
        )
        assert "covers the whole order" in message

    def test_discount_leaving_less_than_the_minimum(self):
        """A discount that leaves a positive total under the minimum gets the minimum message."""
        nearly = DiscountInput(percent_off=None, amount_off=1480)
        message = self.refused(
            self.open_order(), totals_of([LineInput("Cup", 1500, 1)], discount=nearly)
        )
        assert "below $0.50" in message

    def test_paid_or_processing_orders(self):
        """A paid order, or one whose payment is in flight, is not offered Checkout again (409)."""
        totals = totals_of([LineInput("Cup", 1500, 1)])
        paid = Order(currency="usd", status=OrderStatus.PAID)
        processing = Order(currency="usd", status=OrderStatus.PROCESSING)
        assert "already paid" in self.refused(paid, totals, status=409)
        assert "being processed" in self.refused(processing, totals, status=409)

    def test_currency_without_an_account(self, settings):
        """A currency with no configured Stripe account is a 503, not a Stripe call."""
        settings.STRIPE_CURRENCIES = ["usd"]
        with pytest.raises(PaymentsNotConfigured):
            check_checkout_limits(
                self.open_order("eur"), totals_of([LineInput("Cup", 1500, 1)], currency="eur")
            )
