"""Only payable currencies: items and discounts priced in STRIPE_CURRENCIES, and items whose
currency has no account left out of the catalog, with a warning in the admin and the checks."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.checks import check_items_payable
from catalog.currencies import list_payable_currencies, offered_currency_choices
from catalog.models import Discount, Item
from catalog.tests.factories import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def gbp_without_account(settings):
    """GBP items exist (priced while GBP had an account); now only usd and eur are set up."""
    item = make_item(name="Scone", currency="gbp", price="3.00")
    settings.STRIPE_CURRENCIES = ["usd", "eur"]
    return item


class TestChoices:
    def test_the_currency_choices_follow_stripe_currencies(self, settings):
        """The form offers exactly the configured currencies, with their names."""
        settings.STRIPE_CURRENCIES = ["usd", "eur"]
        assert [code for code, _label in offered_currency_choices()] == ["usd", "eur"]
        assert offered_currency_choices()[1][1] == "EUR — Euro"

    def test_an_item_in_another_currency_is_refused(self, settings):
        """Model validation refuses an item in a currency that is not configured."""
        settings.STRIPE_CURRENCIES = ["usd", "eur"]
        item = Item(name="Scone", price=Decimal("3.00"), currency="gbp")
        with pytest.raises(ValidationError) as refused:
            item.full_clean()
        assert list(refused.value.message_dict) == ["currency"]

    def test_an_amount_off_in_another_currency_is_refused(self, settings):
        """So is an amount-off discount; a percent off needs no currency and still saves."""
        settings.STRIPE_CURRENCIES = ["usd"]
        discount = Discount(name="Welcome", amount_off=Decimal("5"), currency="eur")
        with pytest.raises(ValidationError) as refused:
            discount.full_clean()
        assert list(refused.value.message_dict) == ["currency"]
        Discount(name="Sale", percent_off=Decimal("10")).full_clean()

    def test_the_admin_form_lists_only_configured_currencies(self, admin_client, settings):
        """The item form's currency menu has usd and eur, not gbp or jpy."""
        settings.STRIPE_CURRENCIES = ["usd", "eur"]
        form = admin_client.get(reverse("admin:catalog_item_add")).context["adminform"].form
        assert [code for code, _label in form.fields["currency"].choices] == ["", "usd", "eur"]


class TestCatalogLeavesOutUnpayableItems:
    def test_a_currency_without_keys_is_not_payable(self, settings):
        """An enabled currency whose account lacks a key cannot be paid in."""
        settings.STRIPE_ACCOUNTS = {
            **settings.STRIPE_ACCOUNTS,
            "eur": {"secret_key": "sk_test_x", "publishable_key": "", "webhook_secret": ""},
        }
        assert "eur" not in list_payable_currencies()
        assert "usd" in list_payable_currencies()

    def test_the_catalog_item_page_and_cart_leave_them_out(self, client, gbp_without_account):
        """The catalog lists the USD item only; the GBP item's page and Add to cart are 404s."""
        make_item(name="Teapot", currency="usd")
        catalog = client.get("/").content.decode()
        assert "Teapot" in catalog
        assert "Scone" not in catalog
        assert client.get(f"/item/{gbp_without_account.pk}").status_code == 404
        added = client.post(f"/cart/add/{gbp_without_account.pk}", {"quantity": "1"})
        assert added.status_code == 404

    def test_the_admin_warns(self, admin_client, gbp_without_account):
        """The item list and the item's page say which items are left out and why."""
        for url in (
            reverse("admin:catalog_item_changelist"),
            reverse("admin:catalog_item_change", args=[gbp_without_account.pk]),
        ):
            warnings = [str(m) for m in admin_client.get(url).context["messages"]]
            assert warnings == [
                "Items left out of the catalog (1 in GBP): their currency has no Stripe account"
                " configured, so they cannot be paid."
            ]

    def test_the_system_check_warns(self, gbp_without_account):
        """`manage.py check` reports the same, as catalog.W001."""
        [warning] = check_items_payable()
        assert warning.id == "catalog.W001"
        assert "1 in GBP" in warning.msg

    def test_no_warning_when_everything_is_payable(self, admin_client):
        """With every item payable there is nothing to report."""
        make_item(currency="usd")
        assert check_items_payable() == []
        response = admin_client.get(reverse("admin:catalog_item_changelist"))
        assert list(response.context["messages"]) == []
