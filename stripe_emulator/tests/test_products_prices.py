# Tests send parameters the SDK types forbid on purpose and read Optional fields the
# scenario guarantees; those checks are mypy noise here.
# mypy: disable-error-code="union-attr,arg-type,typeddict-item,typeddict-unknown-key,index"
"""Products and Prices through stripe-python, and Checkout line items that name a Price."""

from __future__ import annotations

from decimal import Decimal

import pytest
import stripe


def a_price(client: stripe.StripeClient, **params: object) -> stripe.Price:
    return client.v1.prices.create(
        params={"unit_amount": 500, "currency": "usd", "product_data": {"name": "demo"}, **params}
    )


class TestProducts:
    def test_create_retrieve_list(self, client: stripe.StripeClient) -> None:
        """A Product is stored with Stripe's fields, retrieved by id, listed newest first."""
        first = client.v1.products.create(params={"name": "Photo", "metadata": {"sku": "p1"}})
        second = client.v1.products.create(params={"name": "Print", "active": False})
        assert first.id.startswith("prod_")
        assert (first.active, first.default_price, first.images, first.type) == (
            True, None, [], "service"
        )  # fmt: skip
        assert client.v1.products.retrieve(first.id).metadata.to_dict() == {"sku": "p1"}
        listed = client.v1.products.list()
        assert [p.id for p in listed.data] == [second.id, first.id]
        assert [p.id for p in client.v1.products.list(params={"active": False}).data] == [second.id]

    def test_custom_id_and_default_price(self, client: stripe.StripeClient) -> None:
        """A chosen id is kept (twice is refused); default_price_data makes its Price."""
        product = client.v1.products.create(
            params={"id": "photo", "name": "Photo",
                    "default_price_data": {"currency": "eur", "unit_amount": 1200}}
        )  # fmt: skip
        price = client.v1.prices.retrieve(product.default_price)
        assert (price.product, price.unit_amount, price.currency) == ("photo", 1200, "eur")
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.products.create(params={"id": "photo", "name": "Again"})
        assert (caught.value.code, caught.value.param) == ("resource_already_exists", "id")

    def test_missing_product(self, client: stripe.StripeClient) -> None:
        """An unknown product id is Stripe's 404 resource_missing."""
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.products.retrieve("prod_nope")
        assert (caught.value.http_status, caught.value.code) == (404, "resource_missing")


class TestPrices:
    def test_create_with_product_data(self, client: stripe.StripeClient) -> None:
        """product_data makes the Product; the Price has Stripe's one-time shape."""
        price = a_price(client)
        assert price.id.startswith("price_")
        assert (price.type, price.billing_scheme, price.recurring, price.active) == (
            "one_time", "per_unit", None, True
        )  # fmt: skip
        assert price.unit_amount_decimal == Decimal("500")
        assert client.v1.products.retrieve(price.product).name == "demo"
        assert client.v1.prices.retrieve(price.id).unit_amount == 500

    def test_create_for_product_and_list_filters(self, client: stripe.StripeClient) -> None:
        """A Price of an existing Product; list filters by product, currency and type."""
        product = client.v1.products.create(params={"name": "Photo"})
        mine = client.v1.prices.create(
            params={"product": product.id, "unit_amount": 300, "currency": "gbp"}
        )
        monthly = a_price(client, recurring={"interval": "month"})
        assert (monthly.recurring.interval, monthly.type) == ("month", "recurring")
        by_product = client.v1.prices.list(params={"product": product.id})
        assert [p.id for p in by_product.data] == [mine.id]
        assert [p.id for p in client.v1.prices.list(params={"type": "recurring"}).data] == [
            monthly.id
        ]
        assert [p.id for p in client.v1.prices.list(params={"currency": "gbp"}).data] == [mine.id]

    @pytest.mark.parametrize(
        ("params", "param"),
        [({"currency": "usd", "unit_amount": 5}, "product"),
         ({"currency": "usd", "product_data": {"name": "x"}}, "unit_amount"),
         ({"currency": "usd", "unit_amount": -1, "product_data": {"name": "x"}}, "unit_amount"),
         ({"currency": "usd", "unit_amount": 5, "product": "prod_nope"}, "product"),
         ({"currency": "usd", "unit_amount": 5, "product_data": {"name": "x"},
           "tiers_mode": "volume"}, "tiers_mode")],
    )  # fmt: skip
    def test_bad_prices_are_refused(
        self, client: stripe.StripeClient, params: dict[str, object], param: str
    ) -> None:
        """Missing, invalid, unknown or unemulated parameters are a 400 naming the param."""
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.prices.create(params=params)
        assert (caught.value.http_status, caught.value.param) == (400, param)

    def test_events(self, client: stripe.StripeClient) -> None:
        """Creating a Price with product_data announces the Product, then the Price."""
        price = a_price(client)
        events = reversed(client.v1.events.list().data)  # the list is newest first
        kinds = [(e.type, e.data.object["id"]) for e in events]
        assert kinds == [("product.created", price.product), ("price.created", price.id)]


class TestCheckoutWithPrices:
    def test_line_item_names_a_price(self, client: stripe.StripeClient) -> None:
        """line_items[][price] charges the Price; the line item shows it in full."""
        price = a_price(client, unit_amount=700)
        session = client.v1.checkout.sessions.create(
            params={"mode": "payment", "success_url": "https://shop.test/ok",
                    "line_items": [{"price": price.id, "quantity": 3}]}
        )  # fmt: skip
        assert (session.amount_total, session.currency) == (2100, "usd")
        items = client.v1.checkout.sessions.line_items.list(session.id)
        item = items.data[0]
        assert (item.price.id, item.price.unit_amount, item.description) == (
            price.id, 700, "demo"
        )  # fmt: skip

    @pytest.mark.parametrize(
        ("change", "message"),
        [({"active": False}, "inactive"), ({"recurring": {"interval": "month"}}, "recurring")],
    )
    def test_unusable_prices_are_refused(
        self, client: stripe.StripeClient, change: dict[str, object], message: str
    ) -> None:
        """An inactive or recurring Price cannot be sold in payment mode."""
        price = a_price(client, **change)
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.checkout.sessions.create(
                params={"mode": "payment", "success_url": "https://shop.test/ok",
                        "line_items": [{"price": price.id, "quantity": 1}]}
            )  # fmt: skip
        assert caught.value.param == "line_items[0][price]"
        assert message in caught.value.user_message

    def test_unknown_price(self, client: stripe.StripeClient) -> None:
        """A Price id that does not exist is Stripe's 400 No such price."""
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.checkout.sessions.create(
                params={"mode": "payment", "success_url": "https://shop.test/ok",
                        "line_items": [{"price": "price_nope", "quantity": 1}]}
            )  # fmt: skip
        assert caught.value.user_message == "No such price: 'price_nope'"
