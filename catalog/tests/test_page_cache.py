"""The catalog and item pages rendered once and filled in per visitor (catalog/page_cache.py):
nothing of one visitor's reaches another, edits and languages are never served stale, no
session for a visitor who has none, and 304 for a copy that is still current."""

import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from catalog.cart import Cart
from catalog.models import Item
from catalog.tests.factories import make_item
from catalog.tests.helpers import buyer_client, text, url

pytestmark = pytest.mark.django_db

CSRF_SECRET = "abcdefghijklmnopqrstuvwxyz012345"  # any 32 letters and digits


def returning_visitor() -> Client:
    """A visitor who has the CSRF cookie from an earlier page, and no session."""
    client = Client()
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    return client


def badge(response) -> str:
    found = re.search(r'<span class="badge" aria-hidden="true">(\d+)</span>', text(response))
    assert found is not None
    return found.group(1)


class TestVisitorWithoutSession:
    @pytest.mark.parametrize("path", ["/", "/item/{pk}"])
    def test_no_session_is_made_or_read(self, django_assert_num_queries, path):
        """A cookie-less visit makes one query (the catalog's), no session row and no session
        cookie; only the CSRF cookie the page's forms need."""
        item = make_item()
        sessions = Session.objects.count()  # the `client` fixture's buyer session
        with django_assert_num_queries(1):
            response = Client().get(path.format(pk=item.pk))
        assert response.status_code == 200
        assert set(response.cookies) == {settings.CSRF_COOKIE_NAME}
        assert Session.objects.count() == sessions
        assert badge(response) == "0"


class TestNothingSharedBetweenVisitors:
    def test_each_visitor_sees_their_own_cart_count_and_token(self):
        """Two visitors of the same page in turn: each gets their own badge and CSRF token."""
        item = make_item()
        buyer = buyer_client()
        session = buyer.session
        Cart(session).add(item, 3)
        session.save()
        stranger = Client()
        first, second, third = (c.get(f"/item/{item.pk}") for c in (stranger, buyer, stranger))
        assert (badge(first), badge(second), badge(third)) == ("0", "3", "0")
        assert "(3 items)" in text(second)
        tokens = [
            re.findall(r'name="csrfmiddlewaretoken" value="(\w+)"', text(page))
            for page in (first, second)
        ]
        assert all(len(found) == 3 and len(set(found)) == 1 for found in tokens)
        assert tokens[0][0] != tokens[1][0]

    def test_the_language_form_returns_to_this_request_s_path(self, client):
        """`next` is this request's path and query, escaped, not an earlier visitor's."""
        item = make_item()
        client.get(f"/item/{item.pk}?from=mail")
        html = text(client.get(f"/item/{item.pk}?a=1&b='x'"))
        assert f'name="next" value="/item/{item.pk}?a=1&amp;b=&#x27;x&#x27;"' in html

    def test_the_stored_page_holds_no_visitor_s_data(self):
        """A page first rendered for a buyer with a cart shows an empty cart to a stranger."""
        item = make_item()
        buyer = buyer_client()
        session = buyer.session
        Cart(session).add(item, 2)
        session.save()
        assert badge(buyer.get("/")) == "2"
        assert badge(Client().get("/")) == "0"


class TestNeverStale:
    def test_a_price_edited_in_the_admin_shows_at_once(self, admin_client, client):
        """The admin's edit changes the page's next answer, on the item page and the catalog."""
        item = make_item(name="Kettle", price="45.50", currency="eur")
        assert "€45.50" in text(client.get(f"/item/{item.pk}"))
        assert "€45.50" in text(client.get("/"))
        data = {"name_en": "Kettle", "name_ru": "", "description_en": "", "description_ru": ""}
        data |= {"price": "39.00", "currency": "eur"}
        assert admin_client.post(url("item", "change", item.pk), data).status_code == 302
        for path in (f"/item/{item.pk}", "/"):
            page = text(client.get(path))
            assert "€39.00" in page
            assert "€45.50" not in page

    def test_a_row_changed_without_save_shows_at_once(self, client):
        """The key is the whole row, so even an `update()` that skips `updated_at` shows."""
        item = make_item(name="Kettle", price="45.50")
        client.get(f"/item/{item.pk}")
        Item.objects.filter(pk=item.pk).update(name_en="Samovar")
        assert re.search(r"<h1>\s*Samovar\s*</h1>", text(client.get(f"/item/{item.pk}")))

    def test_russian_and_english_pages_are_not_mixed_up(self, client):
        """The same item in English, Russian, then English again: each in its own language."""
        item = make_item(name="Kettle", price="1234.50", currency="eur")
        Item.objects.filter(pk=item.pk).update(name_ru="Чайник")
        english, russian, again = (
            text(client.get(f"/item/{item.pk}", headers={"accept-language": language}))
            for language in ("en", "ru", "en")
        )
        assert "€1,234.50" in english
        assert "Kettle" in english
        assert "1 234,50 €" in russian
        assert "Чайник" in russian
        assert 'lang="ru"' in russian
        assert again == english.replace(token(english), token(again))

    def test_a_settings_change_empties_the_store(self, client, settings):
        """Settings the pages read (the Stripe.js address) apply to the next page."""
        item = make_item()
        client.get(f"/item/{item.pk}")
        settings.STRIPE_JS_URL = "http://127.0.0.1:12111/v3/"
        assert 'src="http://127.0.0.1:12111/v3/"' in text(client.get(f"/item/{item.pk}"))


def token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', html)
    assert found is not None
    return found.group(1)


class TestConditionalGet:
    def test_a_matching_if_none_match_gets_304(self):
        """A returning visitor's unchanged page: 304 with the same ETag, no body, no cookie."""
        item = make_item()
        visitor = returning_visitor()
        first = visitor.get(f"/item/{item.pk}")
        assert first["Cache-Control"] == "private, no-cache"
        etag = first["ETag"]
        again = visitor.get(f"/item/{item.pk}", headers={"if-none-match": etag})
        assert again.status_code == 304
        assert again["ETag"] == etag
        assert again.content == b""
        assert "Cookie" in again["Vary"]
        assert "Accept-Language" in again["Vary"]
        assert "default-src 'self'" in again["Content-Security-Policy"]

    def test_another_visitor_s_etag_does_not_match(self):
        """Another CSRF secret, a changed cart or a changed price: a full page, a new ETag."""
        item = make_item()
        visitor = returning_visitor()
        etag = visitor.get(f"/item/{item.pk}")["ETag"]
        other = Client()
        other.cookies[settings.CSRF_COOKIE_NAME] = "z" * 32
        assert other.get(f"/item/{item.pk}", headers={"if-none-match": etag}).status_code == 200
        Item.objects.filter(pk=item.pk).update(price="16.00")
        changed = visitor.get(f"/item/{item.pk}", headers={"if-none-match": etag})
        assert changed.status_code == 200
        assert changed["ETag"] != etag
        assert "$16.00" in text(changed)

    def test_a_changed_cart_count_gets_the_full_page(self):
        """The badge is part of the page: a new count, a new ETag."""
        item = make_item()
        visitor = buyer_client()
        visitor.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
        etag = visitor.get("/")["ETag"]
        session = visitor.session
        Cart(session).add(item, 1)
        session.save()
        response = visitor.get("/", headers={"if-none-match": etag})
        assert response.status_code == 200
        assert badge(response) == "1"

    def test_no_etag_without_a_csrf_cookie(self, client):
        """A first visit gets a new CSRF secret, so its page cannot be revalidated."""
        item = make_item()
        response = client.get(f"/item/{item.pk}")
        assert "ETag" not in response
        assert response["Cache-Control"] == "private, no-cache"
