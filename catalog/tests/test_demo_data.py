"""load_demo_data: a usable demo catalog, loaded once however often the command runs; the
public sample order only in development (DEBUG)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from catalog.models import Discount, Item, Order, OrderLine, Tax
from catalog.services import get_order_with_lines
from catalog.totals import compute_order_totals

pytestmark = pytest.mark.django_db


MODELS = (Item, Discount, Tax, Order, OrderLine)


@pytest.fixture
def development(settings):
    """DEBUG on, as `make run` has it."""
    settings.DEBUG = True


def load() -> str:
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    return {model.__name__: sorted(model.objects.values_list()) for model in MODELS}


@pytest.mark.usefixtures("development")
def test_loads_catalog_discounts_taxes_and_order():
    """The demo has USD and EUR items, both discount kinds, both tax kinds and a USD order."""
    output = load()
    assert set(Item.objects.values_list("currency", flat=True)) == {"usd", "eur"}
    assert Item.objects.filter(currency="usd").count() >= 3
    assert Item.objects.filter(currency="eur").count() >= 3
    assert Discount.objects.filter(percent_off__isnull=False).exists()
    assert Discount.objects.filter(amount_off__isnull=False, currency="usd").exists()
    assert set(Tax.objects.values_list("inclusive", flat=True)) == {True, False}
    order = get_order_with_lines(Order.objects.get().pk)
    assert order.currency == "usd"
    assert order.discount is not None
    assert order.tax is not None
    assert order.lines.count() >= 2
    totals = compute_order_totals(order)
    assert totals.discount > 0
    assert totals.tax > 0
    assert "7 items" in output
    assert "row(s) created or updated" in output


@pytest.mark.usefixtures("development")
def test_second_run_changes_nothing():
    """Running the command again leaves every row, timestamps included, as it was."""
    load()
    before = snapshot()
    output = load()
    assert snapshot() == before
    assert "0 row(s) created or updated." in output


def test_restores_an_edited_demo_row():
    """A demo item whose price was changed gets its demo price back, without a duplicate."""
    load()
    item = Item.objects.get(name="Ceramic tea cup")
    original = item.price
    Item.objects.filter(pk=item.pk).update(price=original + 1)
    assert "1 row(s) created or updated." in load()
    item.refresh_from_db()
    assert item.price == original
    assert Item.objects.filter(name="Ceramic tea cup").count() == 1


def test_without_debug_the_catalog_loads_but_no_order():
    """Deployed (DEBUG off, as app.json's postdeploy and docker-compose run it): the catalog,
    discounts and taxes, and no public order a stranger could pay with live keys."""
    output = load()
    assert Item.objects.count() == 7
    assert Discount.objects.count() == 2
    assert Tax.objects.count() == 2
    assert not Order.objects.exists()
    assert "no sample order" in output
    load()
    assert not Order.objects.exists()


def test_every_name_and_description_is_in_both_languages():
    """Items, discounts and taxes have Russian names (and descriptions) beside the English."""
    load()
    # The translation fields django-modeltranslation adds (catalog/translation.py).
    texts = [
        *Item.objects.values_list("name_en", "name_ru", "description_en", "description_ru"),
        *Discount.objects.values_list("name_en", "name_ru"),
        *Tax.objects.values_list("display_name_en", "display_name_ru", "description_ru"),
    ]
    assert len(texts) == 11
    assert all(all(row) for row in texts)
    with translation.override("ru"):
        assert Tax.objects.get(display_name_en="VAT").label == "НДС (20%, включён в цену)"
