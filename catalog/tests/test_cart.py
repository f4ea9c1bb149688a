"""The session cart and its pages: add, update, remove, one currency, placing the order."""

import html
import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from pytest_django.asserts import assertContains, assertRedirects

from catalog.cart import Cart, CartError
from catalog.models import MAX_QUANTITY, Order
from catalog.tests.factories import make_item

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    """The messages the page shows (templates/catalog/_messages.html), as the buyer reads them.

    Read from the HTML: the item page's text is rendered once for everyone (catalog.page_cache),
    so its template context holds an empty visitor's messages, not this one's."""
    shown = re.findall(r'<p class="message message-\w+">(.*?)</p>', response.content.decode())
    return [html.unescape(message) for message in shown]


class TestCart:
    def test_stores_only_item_ids_and_quantities(self):
        """The session holds {"<id>": quantity}: no price, name or currency."""
        session = SessionStore()
        item = make_item()
        Cart(session).add(item, 2)
        assert session["cart"] == {str(item.pk): 2}

    def test_adding_again_adds_up_and_count_sums_units(self):
        """Two adds of one item make one line; the badge counts units."""
        session = SessionStore()
        cup, pot = make_item(name="Cup"), make_item(name="Pot")
        cart = Cart(session)
        cart.add(cup, 2)
        cart.add(pot, 1)
        cart.add(cup, 3)
        assert cart.quantities == {cup.pk: 5, pot.pk: 1}
        assert cart.count == 6
        assert len(cart) == 2

    def test_refuses_a_second_currency(self):
        """A cart holds one currency, so a EUR item cannot join USD ones."""
        cart = Cart(SessionStore())
        cart.add(make_item(currency="usd"), 1)
        with pytest.raises(CartError, match=r"priced in USD.*priced in EUR"):
            cart.add(make_item(currency="eur"), 1)
        assert len(cart) == 1

    def test_refuses_more_than_the_maximum_quantity(self):
        """A line cannot grow past MAX_QUANTITY units."""
        cart = Cart(SessionStore())
        item = make_item()
        cart.add(item, MAX_QUANTITY)
        with pytest.raises(CartError):
            cart.add(item, 1)
        assert cart.quantities == {item.pk: MAX_QUANTITY}

    def test_update_and_remove(self):
        """Update sets a quantity, remove drops the line; unknown ids change nothing."""
        cart = Cart(SessionStore())
        item = make_item()
        cart.add(item, 1)
        cart.update(item.pk, 7)
        cart.update(item.pk + 1000, 3)
        assert cart.quantities == {item.pk: 7}
        cart.remove(item.pk)
        cart.remove(item.pk)
        assert cart.quantities == {}

    def test_lines_read_current_prices_and_drop_deleted_items(self):
        """Lines come from the database (price changes apply), deleted items disappear."""
        cart = Cart(SessionStore())
        kept, gone = make_item(name="Kept"), make_item(name="Gone")
        cart.add(kept, 2)
        cart.add(gone, 1)
        gone.delete()
        assert cart.lines() == [(kept, 2)]
        assert cart.count == 2

    def test_totals_preview(self):
        """Subtotal of 2 x $15.00 + 1 x $40.00 is $70.00, in minor units."""
        cart = Cart(SessionStore())
        cart.add(make_item(price="15.00"), 2)
        cart.add(make_item(price="40.00"), 1)
        totals = Cart.totals(cart.lines())
        assert totals is not None
        assert (totals.currency, totals.subtotal, totals.total) == ("usd", 7000, 7000)
        assert Cart.totals([]) is None

    def test_totals_refuse_mixed_currencies(self):
        """Items whose currency changed after being added make the preview refuse."""
        with pytest.raises(CartError, match="EUR, USD"):
            Cart.totals([(make_item(currency="usd"), 1), (make_item(currency="eur"), 1)])


class TestCartPages:
    def test_add_from_the_item_page(self, client):
        """POSTing a quantity adds it and shows the cart with a confirmation."""
        item = make_item(name="Tea cup", price="15.00")
        response = client.post(f"/cart/add/{item.pk}", {"quantity": "3"}, follow=True)
        assertRedirects(response, "/cart/")
        assert messages_of(response) == ["Tea cup is in your cart."]
        assertContains(response, "$45.00")
        assertContains(response, 'value="3"')
        assert client.session["cart"] == {str(item.pk): 3}

    def test_header_badge_counts_units(self, client):
        """The cart link shows how many units the cart holds."""
        item = make_item()
        client.post(f"/cart/add/{item.pk}", {"quantity": "4"})
        assertContains(client.get("/"), '<span class="badge" aria-hidden="true">4</span>')

    @pytest.mark.parametrize("quantity", ["0", "-1", "abc", "", str(MAX_QUANTITY + 1)])
    def test_add_refuses_a_bad_quantity(self, client, quantity):
        """Quantities outside 1..MAX_QUANTITY go back to the item page with a message."""
        item = make_item()
        response = client.post(f"/cart/add/{item.pk}", {"quantity": quantity}, follow=True)
        assertRedirects(response, f"/item/{item.pk}")
        assert messages_of(response) == [f"Please enter a quantity from 1 to {MAX_QUANTITY}."]
        assert "cart" not in client.session

    def test_add_refuses_a_second_currency_with_a_message(self, client):
        """A EUR item after a USD one is refused on the item page, the cart unchanged."""
        dollars, euros = make_item(currency="usd"), make_item(currency="eur")
        client.post(f"/cart/add/{dollars.pk}", {"quantity": "1"})
        response = client.post(f"/cart/add/{euros.pk}", {"quantity": "1"}, follow=True)
        assertRedirects(response, f"/item/{euros.pk}")
        assert "priced in USD" in messages_of(response)[-1]
        assert client.session["cart"] == {str(dollars.pk): 1}

    def test_add_is_post_only_and_needs_an_existing_item(self, client):
        """GET is not allowed; an unknown item is a 404."""
        item = make_item()
        assert client.get(f"/cart/add/{item.pk}").status_code == 405
        assert client.post("/cart/add/999999", {"quantity": "1"}).status_code == 404

    def test_forms_need_the_csrf_token(self):
        """Cart changes are CSRF-protected."""
        client = Client(enforce_csrf_checks=True)
        item = make_item()
        assert client.post(f"/cart/add/{item.pk}", {"quantity": "1"}).status_code == 403
        assert client.post("/cart/order").status_code == 403

    def test_update_and_remove(self, client):
        """The cart page changes a quantity and removes a line."""
        item = make_item(price="10.00")
        client.post(f"/cart/add/{item.pk}", {"quantity": "1"})
        response = client.post(f"/cart/update/{item.pk}", {"quantity": "5"}, follow=True)
        assertRedirects(response, "/cart/")
        assertContains(response, "$50.00")
        response = client.post(f"/cart/update/{item.pk}", {"quantity": "0"}, follow=True)
        assert "Please enter a quantity" in messages_of(response)[0]
        assert client.session["cart"] == {str(item.pk): 5}
        response = client.post(f"/cart/remove/{item.pk}", follow=True)
        assertContains(response, "Your cart is empty.")

    def test_empty_cart_page(self, client):
        """An empty cart says so and offers no order button."""
        response = client.get("/cart/")
        assertContains(response, "Your cart is empty.")
        assert b"/cart/order" not in response.content


class TestPlaceOrder:
    def test_creates_the_order_for_this_session_and_empties_the_cart(self, client):
        """The order holds the cart's lines and currency, belongs to the session, is open."""
        cup, pot = make_item(name="Cup", price="15.00"), make_item(name="Pot", price="40.00")
        client.post(f"/cart/add/{cup.pk}", {"quantity": "2"})
        client.post(f"/cart/add/{pot.pk}", {"quantity": "1"})
        response = client.post("/cart/order")
        order = Order.objects.get()
        assertRedirects(response, f"/order/{order.pk}")
        assert {(line.item, line.quantity) for line in order.lines.all()} == {(cup, 2), (pot, 1)}
        assert order.currency == "usd"
        assert order.status == "open"
        assert order.session_key == client.session.session_key
        assert order.discount is None
        assert order.tax is None
        assert "cart" not in client.session
        assertContains(client.get(f"/order/{order.pk}"), "$70.00")

    def test_empty_cart_makes_no_order(self, client):
        """Placing an empty cart explains why and creates nothing."""
        response = client.post("/cart/order", follow=True)
        assertRedirects(response, "/cart/")
        assert messages_of(response) == ["An order needs at least one item."]
        assert not Order.objects.exists()

    def test_mixed_currency_cart_shows_a_message_not_a_500(self, client):
        """If an item's currency changed after it was added, the cart explains the problem."""
        dollars, euros = make_item(currency="usd"), make_item(currency="usd")
        client.post(f"/cart/add/{dollars.pk}", {"quantity": "1"})
        client.post(f"/cart/add/{euros.pk}", {"quantity": "1"})
        euros.currency = "eur"
        euros.save()

        page = client.get("/cart/")
        assert page.status_code == 200
        assert "mixes currencies (EUR, USD)" in messages_of(page)[-1]
        assert b"/cart/order" not in page.content

        response = client.post("/cart/order", follow=True)
        assertRedirects(response, "/cart/")
        assert any("one currency only" in message for message in messages_of(response))
        assert not Order.objects.exists()
