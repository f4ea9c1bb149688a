"""Each Discount and Tax as a Stripe coupon and tax rate per account, as Checkout sends them."""

from __future__ import annotations

import pytest

from catalog.services import get_order_with_lines
from catalog.tests.factories import (
    make_amount_discount,
    make_item,
    make_order,
    make_percent_discount,
    make_tax,
)
from catalog.totals import compute_order_totals
from payments.models import Payment, StripeCoupon, StripeTaxRate
from payments.tests.helpers import (
    buy,
    posts,
    retrieve,
    session_creates,
)

pytestmark = pytest.mark.django_db


class TestBuyOrder:
    def test_request_with_coupon_and_tax_rate_on_each_line(self, client, emulator):
        """Lines become line items, the Discount one coupon, the Tax a rate on every line."""
        cup, pot = make_item(name="Cup", price="15.00"), make_item(name="Pot", price="9.99")
        discount, tax = make_percent_discount(percent="20"), make_tax(percentage="8.25")
        order = make_order(lines=[(cup, 2), (pot, 1)], discount=discount, tax=tax)
        buy(client, f"/order/{order.pk}/buy")
        [coupon] = posts(emulator, "/v1/coupons")
        [rate] = posts(emulator, "/v1/tax_rates")
        [create] = session_creates(emulator)
        assert coupon["params"]["percent_off"] == "20.0"
        assert coupon["account"] == rate["account"] == create["account"] == "shopusd"
        assert (rate["params"]["percentage"], rate["params"]["inclusive"]) == ("8.25", "false")
        coupon_id = StripeCoupon.objects.get(discount=discount).stripe_id
        rate_id = StripeTaxRate.objects.get(tax=tax).stripe_id
        lines = create["params"]["line_items"]
        assert [(line["price_data"]["product_data"]["name"], line["price_data"]["unit_amount"],
                 line["quantity"]) for line in lines.values()] == [
            ("Cup", "1500", "2"), ("Pot", "999", "1")]  # fmt: skip
        assert all(line["tax_rates"] == {"0": rate_id} for line in lines.values())
        assert create["params"]["discounts"] == {"0": {"coupon": coupon_id}}
        assert create["params"]["cancel_url"].endswith(
            f"/payments/checkout/cancel/order/{order.pk}"
        )

    def test_amount_coupon_in_minor_units_of_the_order_currency(self, client, emulator):
        """An amount-off Discount is an amount_off coupon in the order's currency."""
        discount = make_amount_discount(amount="6.00", currency="eur")
        order = make_order(lines=[(make_item(price="15.00", currency="eur"), 2)], discount=discount)
        buy(client, f"/order/{order.pk}/buy")
        [coupon] = posts(emulator, "/v1/coupons")
        assert coupon["account"] == "shopeur"
        assert (coupon["params"]["amount_off"], coupon["params"]["currency"]) == ("600", "eur")

    @pytest.mark.parametrize(
        ("currency", "prices", "discount", "tax"),
        [
            ("usd", ["15.00", "9.99"], ("percent", "20"), ("8.25", False)),
            ("usd", ["10.00", "30.00"], ("amount", "6.00"), ("20", True)),
            ("eur", ["12.34", "0.99", "7.77"], ("percent", "12.5"), ("19", True)),
            ("eur", ["19.99", "5.01"], ("amount", "3.33"), ("7", False)),
            ("jpy", ["1500", "999", "120"], ("percent", "15"), ("10", False)),
            ("jpy", ["3333", "777"], ("amount", "500"), ("8", True)),
            ("usd", ["15.00", "9.99"], None, None),
        ],
    )
    def test_checkout_total_equals_the_shop_total(
        self, client, emulator, currency, prices, discount, tax
    ):
        """Checkout's amount_total is the order total the shop shows, to the cent (or yen)."""
        items = [make_item(name=f"Item {n}", price=price, currency=currency)
                 for n, price in enumerate(prices)]  # fmt: skip
        made_discount = None
        if discount and discount[0] == "percent":
            made_discount = make_percent_discount(percent=discount[1])
        elif discount:
            made_discount = make_amount_discount(amount=discount[1], currency=currency)
        made_tax = make_tax(percentage=tax[0], inclusive=tax[1]) if tax else None
        order = make_order(
            lines=[(item, n + 1) for n, item in enumerate(items)],
            discount=made_discount,
            tax=made_tax,
        )
        answer = buy(client, f"/order/{order.pk}/buy")
        shop = compute_order_totals(get_order_with_lines(order.pk))
        session = retrieve(emulator, currency, answer["id"])
        assert session.amount_total == shop.total
        assert session.amount_subtotal == shop.subtotal
        assert session.total_details.amount_discount == shop.discount
        assert session.total_details.amount_tax == shop.tax
        payment = Payment.objects.get(stripe_id=answer["id"])
        assert (payment.amount, payment.shop_amount, payment.amount_mismatch) == (
            shop.total, shop.total, 0)  # fmt: skip

    def test_coupon_and_tax_rate_are_created_once_per_account(self, client, emulator):
        """A second order with the same Discount and Tax reuses their Stripe objects."""
        discount, tax = make_percent_discount(), make_tax()
        for _ in range(2):
            order = make_order(lines=[(make_item(), 1)], discount=discount, tax=tax)
            buy(client, f"/order/{order.pk}/buy")
        assert len(posts(emulator, "/v1/coupons")) == 1
        assert len(posts(emulator, "/v1/tax_rates")) == 1
        assert len(session_creates(emulator)) == 2

    def test_each_account_gets_its_own_coupon(self, client, emulator):
        """Stripe objects are per account: a percent Discount used in USD and EUR is 2 coupons."""
        discount = make_percent_discount()
        for currency in ("usd", "eur"):
            order = make_order(lines=[(make_item(currency=currency), 1)], discount=discount)
            buy(client, f"/order/{order.pk}/buy")
        coupons = posts(emulator, "/v1/coupons")
        assert sorted(c["account"] for c in coupons) == ["shopeur", "shopusd"]
        assert StripeCoupon.objects.filter(discount=discount).count() == 2

    def test_an_edited_discount_gets_a_new_coupon(self, client, emulator):
        """20% edited to 25%: the next session uses a new 25% coupon, never the stale 20% one."""
        discount = make_percent_discount(percent="20")
        first = make_order(lines=[(make_item(), 1)], discount=discount)
        buy(client, f"/order/{first.pk}/buy")
        discount.percent_off = 25
        discount.save()
        second = make_order(lines=[(make_item(), 1)], discount=discount)
        answer = buy(client, f"/order/{second.pk}/buy")
        coupons = posts(emulator, "/v1/coupons")
        assert [c["params"]["percent_off"] for c in coupons] == ["20.0", "25.0"]
        assert StripeCoupon.objects.filter(discount=discount).count() == 2
        assert retrieve(emulator, "usd", answer["id"]).total_details.amount_discount == 375

    def test_an_edited_tax_gets_a_new_tax_rate(self, client, emulator):
        """Exclusive switched to inclusive: a new tax rate, since Stripe can't change one."""
        tax = make_tax(percentage="20", inclusive=False)
        buy(client, f"/order/{make_order(lines=[(make_item(), 1)], tax=tax).pk}/buy")
        tax.inclusive = True
        tax.save()
        buy(client, f"/order/{make_order(lines=[(make_item(), 1)], tax=tax).pk}/buy")
        rates = posts(emulator, "/v1/tax_rates")
        assert [r["params"]["inclusive"] for r in rates] == ["false", "true"]
