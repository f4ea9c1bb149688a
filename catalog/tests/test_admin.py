"""The admin: every model's list and form render, valid forms save, invalid ones explain why."""

from decimal import Decimal

import pytest
from django.utils import translation

from catalog.models import Discount, Item, Order, OrderStatus, Tax
from catalog.tests.factories import (
    make_amount_discount,
    make_item,
    make_order,
    make_percent_discount,
    make_tax,
)
from catalog.tests.helpers import order_form, url

pytestmark = pytest.mark.django_db


class TestPagesRender:
    @pytest.mark.parametrize("model", ["item", "discount", "tax", "order", "orderline"])
    def test_changelist(self, admin_client, model):
        """Each model's list page renders with rows in it."""
        make_order(discount=make_percent_discount(), tax=make_tax())
        response = admin_client.get(url(model, "changelist"))
        assert response.status_code == 200
        assert response.context["cl"].result_count >= 1

    @pytest.mark.parametrize("model", ["item", "discount", "tax", "order"])
    def test_add_form(self, admin_client, model):
        """Each editable model's add form renders."""
        assert admin_client.get(url(model, "add")).status_code == 200

    def test_change_forms(self, admin_client):
        """Change forms of item, discount, tax, order and the line view render."""
        discount, tax = make_percent_discount(), make_tax()
        order = make_order(discount=discount, tax=tax)
        line = order.lines.get()
        for model, pk in [
            ("item", line.item.pk),
            ("discount", discount.pk),
            ("tax", tax.pk),
            ("order", order.pk),
            ("orderline", line.pk),
        ]:
            assert admin_client.get(url(model, "change", pk)).status_code == 200, model

    def test_order_list_shows_formatted_totals(self, admin_client):
        """The order list shows each order's total formatted in its currency."""
        bowl = make_item(name="Bowl", price="1200", currency="jpy")
        make_order(lines=[(bowl, 2)])
        make_order(lines=[(make_item(price="15.00"), 2)], tax=make_tax(percentage="10"))
        content = admin_client.get(url("order", "changelist")).content.decode()
        assert "¥2,400" in content
        assert "$33.00" in content

    def test_order_form_shows_totals(self, admin_client):
        """An order's change form shows its subtotal, discount, tax and total."""
        cup, pot = make_item(name="Tea cup", price="15.00"), make_item(name="Teapot", price="9.99")
        order = make_order(
            lines=[(cup, 2), (pot, 1)],
            discount=make_percent_discount(percent="20"),
            tax=make_tax(percentage="8.25"),
        )
        content = admin_client.get(url("order", "change", order.pk)).content.decode()
        for figure in ("$39.99", "-$8.00", "$2.64", "$34.63"):
            assert figure in content

    def test_order_list_query_count_does_not_grow(
        self, admin_client, django_assert_max_num_queries
    ):
        """The order list with totals takes a bounded number of queries for 20 orders."""
        item = make_item()
        for _ in range(20):
            make_order(lines=[(item, 1)], discount=make_percent_discount(), tax=make_tax())
        with django_assert_max_num_queries(12):
            assert admin_client.get(url("order", "changelist")).status_code == 200


class TestSaving:
    def test_item_saves(self, admin_client):
        """A valid item form creates the item, its name and description in both languages."""
        data = {
            "name_en": "Kettle",
            "name_ru": "Чайник",
            "description_en": "",
            "description_ru": "",
            "price": "45.50",
            "currency": "eur",
        }
        response = admin_client.post(url("item", "add"), data)
        assert response.status_code == 302
        item = Item.objects.get()
        assert item.price == Decimal("45.50")
        with translation.override("ru"):
            assert item.name == "Чайник"
        assert item.name == "Kettle"

    def test_the_item_form_asks_for_both_languages(self, admin_client):
        """The form has an English and a Russian name and description, not one of each."""
        fields = admin_client.get(url("item", "add")).context["adminform"].form.fields
        assert {"name_en", "name_ru", "description_en", "description_ru"} <= set(fields)
        assert "name" not in fields

    def test_discount_and_tax_save(self, admin_client):
        """Valid discount and tax forms create them."""
        discount = {"name_en": "Spring", "percent_off": "15", "amount_off": "", "currency": ""}
        assert (
            admin_client.post(url("discount", "add"), {**discount, "active": "on"}).status_code
            == 302
        )
        tax = {"display_name_en": "VAT", "percentage": "20", "inclusive": "on"}
        assert admin_client.post(url("tax", "add"), tax).status_code == 302
        assert str(Discount.objects.get()) == "Spring (15% off)"
        assert str(Tax.objects.get()) == "VAT 20% (inclusive)"

    def test_order_with_lines_saves(self, admin_client):
        """An order with two lines, a discount and a tax is created from the form."""
        cup, pot = make_item(name="Cup"), make_item(name="Pot")
        data = order_form(
            discount=make_amount_discount(),
            tax=make_tax(),
            lines=[{"item": cup, "quantity": 2}, {"item": pot, "quantity": 1}],
        )
        response = admin_client.post(url("order", "add"), data)
        assert response.status_code == 302
        order = Order.objects.get()
        assert order.status == OrderStatus.OPEN
        assert sorted((line.item.name, line.quantity) for line in order.lines.all()) == [
            ("Cup", 2),
            ("Pot", 1),
        ]

    def test_edit_open_order_lines(self, admin_client):
        """An open order's line quantity can be changed."""
        order = make_order()
        line = order.lines.get()
        data = order_form(initial=[{"item": line.item, "quantity": 5, "id": line.pk}])
        data["lines-0-order"] = str(order.pk)
        assert admin_client.post(url("order", "change", order.pk), data).status_code == 302
        line.refresh_from_db()
        assert line.quantity == 5


class TestErrorsInForm:
    def test_jpy_fraction(self, admin_client):
        """A JPY price with a fraction is a form error, not a 500, and nothing is saved."""
        data = {"name_en": "Bowl", "price": "1200.50", "currency": "jpy"}
        response = admin_client.post(url("item", "add"), data)
        assert response.status_code == 200
        assert "JPY has no minor unit: use a whole number." in response.content.decode()
        assert not Item.objects.exists()

    def test_discount_both_kinds(self, admin_client):
        """A discount with both a percent and an amount is refused in the form."""
        data = {"name_en": "Both", "percent_off": "10", "amount_off": "5", "currency": "usd"}
        response = admin_client.post(url("discount", "add"), data)
        assert response.status_code == 200
        assert (
            "Give either a percent off or an amount off (exactly one)." in response.content.decode()
        )

    def test_tax_out_of_range(self, admin_client):
        """A tax percentage above 100 is refused in the form."""
        data = {"display_name_en": "Odd", "percentage": "120"}
        response = admin_client.post(url("tax", "add"), data)
        assert "The percentage must be more than 0 and at most 100." in response.content.decode()

    def test_mixed_currency_line(self, admin_client):
        """A EUR item in a USD order is an error on that line; no order is created."""
        croissant = make_item(name="Croissant", currency="eur")
        data = order_form(
            lines=[{"item": make_item(), "quantity": 1}, {"item": croissant, "quantity": 1}]
        )
        response = admin_client.post(url("order", "add"), data)
        assert response.status_code == 200
        assert (
            "An order holds one currency only: Croissant is priced in EUR, this order is in USD."
            in response.content.decode()
        )
        assert not Order.objects.exists()

    def test_wrong_currency_discount(self, admin_client):
        """An amount-off discount in EUR on a USD order is a discount-field error."""
        data = order_form(
            discount=make_amount_discount(currency="eur"),
            lines=[{"item": make_item(), "quantity": 1}],
        )
        response = admin_client.post(url("order", "add"), data)
        assert response.status_code == 200
        assert "This discount is in EUR; the order is in USD." in response.content.decode()
        assert not Order.objects.exists()

    def test_order_needs_a_line(self, admin_client):
        """An order without lines is refused."""
        response = admin_client.post(url("order", "add"), order_form())
        assert response.status_code == 200
        assert "Please submit at least 1 form." in response.content.decode()
        assert not Order.objects.exists()

    def test_same_item_twice(self, admin_client):
        """The same item on two lines is a form error, not an IntegrityError."""
        cup = make_item()
        data = order_form(lines=[{"item": cup, "quantity": 1}, {"item": cup, "quantity": 2}])
        response = admin_client.post(url("order", "add"), data)
        assert response.status_code == 200
        assert "Please correct the duplicate data for item" in response.content.decode()
        assert not Order.objects.exists()

    def test_quantity_above_maximum(self, admin_client):
        """A quantity above 999 is refused on the line."""
        data = order_form(lines=[{"item": make_item(), "quantity": 1000}])
        response = admin_client.post(url("order", "add"), data)
        assert response.status_code == 200
        assert "less than or equal to 999" in response.content.decode()


class TestLockedOrders:
    def test_paid_order_is_read_only(self, admin_client):
        """A paid order's currency and lines cannot be changed in the admin."""
        order = make_order()
        Order.objects.filter(pk=order.pk).update(status=OrderStatus.PAID)
        line = order.lines.get()
        data = order_form(
            currency="eur", initial=[{"item": line.item, "quantity": 9, "id": line.pk}]
        )
        assert admin_client.post(url("order", "change", order.pk), data).status_code == 302
        order.refresh_from_db()
        line.refresh_from_db()
        assert (order.currency, line.quantity) == ("usd", 2)

    def test_discount_values_locked_once_paid_with(self, admin_client):
        """A discount used by a paid order keeps its percentage (history stays true)."""
        discount = make_percent_discount(percent="20")
        order = make_order(discount=discount)
        Order.objects.filter(pk=order.pk).update(status=OrderStatus.PAID)
        data = {
            "name_en": "Renamed",
            "percent_off": "50",
            "amount_off": "",
            "currency": "",
            "active": "on",
        }
        assert admin_client.post(url("discount", "change", discount.pk), data).status_code == 302
        discount.refresh_from_db()
        assert (discount.name, discount.percent_off) == ("Renamed", Decimal("20.00"))


class TestItemAutocomplete:
    def test_finds_items_by_name_for_order_lines(self, admin_client):
        """The order line's item picker searches items by name."""
        make_item(name="Tea cup")
        make_item(name="Moka pot", currency="eur")
        query = {"app_label": "catalog", "model_name": "orderline", "field_name": "item"}
        response = admin_client.get("/admin/autocomplete/", {**query, "term": "tea"})
        assert [result["text"] for result in response.json()["results"]] == ["Tea cup"]
