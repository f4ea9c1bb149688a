# ruff: noqa: RUF001 (Russian text is Cyrillic on purpose)
"""`manage.py load_demo_data`: a small catalog in USD and EUR, discounts, taxes, named and
described in English and Russian, and in development (DEBUG) a sample order.

The sample order is public (anyone with its link may open it), so it is made only with DEBUG
on: a deployed shop (`app.json`, docker-compose) gets the catalog alone, never an order a
stranger could pay with live keys. Even in development each payer pays their own copy of it
(`catalog.demo_order`).

Idempotent: rows are matched on natural keys (item name + currency, discount name, tax name)
and saved only when a value differs, and the sample order is made once; a second run changes
nothing.
"""

from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import models, transaction

from catalog.models import DEMO_SESSION_KEY, Discount, Item, Order, Tax
from catalog.money import format_money
from catalog.services import create_order
from catalog.totals import compute_order_totals

# (English name, Russian name, currency, price, English description, Russian description)
ITEMS = [
    ("Ceramic tea cup", "Керамическая чайная чашка", "usd", "15.00",
     "Hand-thrown stoneware cup with a celadon glaze, 250 ml.",
     "Чашка ручной работы из каменной керамики, глазурь селадон, 250 мл."),
    ("Cast-iron teapot", "Чугунный чайник", "usd", "49.00",
     "Tetsubin-style teapot with a stainless infuser, 0.8 l.",
     "Чайник в стиле тэцубин со стальным ситечком, 0,8 л."),
    ("Sencha, loose leaf (100 g)", "Сенча листовая (100 г)", "usd", "12.50",
     "First-flush green tea from Shizuoka.",
     "Зелёный чай первого сбора из Сидзуоки."),
    ("Bamboo whisk", "Бамбуковый венчик", "usd", "9.99",
     "100-prong chasen for whisking matcha.",
     "Венчик тясэн на 100 зубцов для взбивания маття."),
    ("Espresso cup set", "Набор чашек для эспрессо", "eur", "24.00",
     "Two porcelain cups with saucers, 80 ml each.",
     "Две фарфоровые чашки с блюдцами, по 80 мл."),
    ("Moka pot", "Гейзерная кофеварка", "eur", "39.90",
     "Aluminium stovetop coffee maker for three cups.",
     "Алюминиевая кофеварка для плиты на три чашки."),
    ("Single-origin beans (250 g)", "Кофе в зёрнах, моносорт (250 г)", "eur", "14.50",
     "Washed Ethiopian Yirgacheffe, light roast.",
     "Эфиопия Иргачеффе, мытая обработка, светлая обжарка."),
]  # fmt: skip
DISCOUNTS: list[tuple[str, dict[str, Any]]] = [
    ("Autumn sale", {"name_ru": "Осенняя распродажа", "percent_off": Decimal("10.00"),
                     "amount_off": None, "currency": ""}),
    ("Welcome $5", {"name_ru": "Скидка новым покупателям 5 $", "percent_off": None,
                    "amount_off": Decimal("5.00"), "currency": "usd"}),
]  # fmt: skip
TAXES: list[tuple[str, dict[str, Any]]] = [
    ("Sales tax", {"display_name_ru": "Налог с продаж", "percentage": Decimal("8.2500"),
                   "inclusive": False, "description_en": "US", "description_ru": "США"}),
    ("VAT", {"display_name_ru": "НДС", "percentage": Decimal("20.0000"), "inclusive": True,
             "description_en": "EU, included", "description_ru": "ЕС, включён в цену"}),
]  # fmt: skip
ORDER_LINES = [("Ceramic tea cup", 2), ("Cast-iron teapot", 1), ("Sencha, loose leaf (100 g)", 3)]

Row = TypeVar("Row", bound=models.Model)


class Command(BaseCommand):
    help = (
        "Load a small demo catalog (USD and EUR), discounts and taxes, and with DEBUG on a "
        "public sample order."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.changed = 0
        with transaction.atomic():
            # Matched on the English names (catalog/translation.py), the Russian ones beside.
            items = {
                name: self._upsert(
                    Item,
                    {"name_en": name, "currency": currency},
                    {
                        "name_ru": name_ru,
                        "price": Decimal(price),
                        "description_en": description,
                        "description_ru": description_ru,
                    },
                )
                for name, name_ru, currency, price, description, description_ru in ITEMS
            }
            discounts = [self._upsert(Discount, {"name_en": n}, values) for n, values in DISCOUNTS]
            taxes = [self._upsert(Tax, {"display_name_en": n}, values) for n, values in TAXES]
            sample = (
                self._sample_order(items, discounts[0], taxes[0])
                if settings.DEBUG
                else "no sample order (DEBUG is off: anyone could pay a public order)"
            )
        self.stdout.write(
            f"Demo data: {len(items)} items, {len(discounts)} discounts, {len(taxes)} tax rates, "
            f"{sample}; {self.changed} row(s) created or updated."
        )

    def _sample_order(self, items: dict[str, Item], discount: Discount, tax: Tax) -> str:
        """Make the public sample order once; describe it."""
        order = Order.objects.filter(session_key=DEMO_SESSION_KEY).first()
        if order is None:
            order = create_order(
                lines=[(items[name], quantity) for name, quantity in ORDER_LINES],
                discount=discount,
                tax=tax,
                session_key=DEMO_SESSION_KEY,
            )
            self.changed += 1
        total = compute_order_totals(Order.objects.with_lines().get(pk=order.pk)).total
        return f"sample {order} totalling {format_money(total, order.currency, 'en')}"

    def _upsert(self, model: type[Row], key: dict[str, Any], values: dict[str, Any]) -> Row:
        """Find the row by its natural key and save it only if it is new or a value differs."""
        row = model._default_manager.filter(**key).first() or model(**key)
        if row._state.adding or any(getattr(row, f) != v for f, v in values.items()):
            for field, value in values.items():
                setattr(row, field, value)
            row.full_clean()
            row.save()
            self.changed += 1
        return row
