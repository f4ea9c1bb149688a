"""Error answers a buyer can read: a failed CSRF check, in the page's language."""

import pytest
from django.test import Client

from catalog.tests.factories import make_item, make_order

pytestmark = pytest.mark.django_db


class TestCsrfFailure:
    def test_the_card_forms_fetch_gets_json_in_the_pages_language(self):
        """A card-form POST with a bad CSRF token gets a JSON 403 in the page's language."""
        # The form shows its `error`: in Russian for a Russian page, not Django's English HTML.
        browser = Client(enforce_csrf_checks=True)
        response = browser.post(
            f"/order/{make_order().pk}/payment-intent",
            headers={"accept": "application/json", "accept-language": "ru"},
        )
        assert response.status_code == 403
        assert response["Content-Type"] == "application/json"
        assert response.json() == {
            "error": "Страница устарела, поэтому ничего не отправлено и деньги не списаны."
            " Обновите страницу и попробуйте ещё раз."
        }

    def test_a_form_post_gets_a_translated_page(self):
        """A form submitted without a valid token: the shop's own 403 page, in Russian."""
        browser = Client(enforce_csrf_checks=True)
        response = browser.post(
            f"/cart/add/{make_item().pk}", {"quantity": 1}, headers={"accept-language": "ru"}
        )
        assert response.status_code == 403
        html = response.content.decode()
        assert '<html lang="ru">' in html
        assert "Страница устарела" in html
        assert "CSRF" not in html
