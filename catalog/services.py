"""Building orders safely, and loading them for pages in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from catalog.currencies import list_payable_currencies
from catalog.models import MAX_QUANTITY, Discount, Item, Order, OrderLine, Tax


class OrderError(ValidationError):
    """An order that cannot be made; `message` is safe to show to the buyer."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="invalid_order")

    def __str__(self) -> str:
        return str(self.message)


def create_order(
    *,
    lines: Sequence[tuple[Item, int]],
    discount: Discount | None = None,
    tax: Tax | None = None,
    session_key: str = "",
) -> Order:
    """Create an open order of (item, quantity) lines in the items' single currency.

    The same item given twice is one line with the quantities added. Raises OrderError for an
    empty order, a quantity outside 1..MAX_QUANTITY, mixed currencies, an inactive discount or
    an amount-off discount in another currency. Whether the total reaches Stripe's minimum
    charge is for payments to decide.
    """
    quantities = _merged_quantities(lines)
    currency = _single_currency(list(quantities))
    if discount is not None:
        _check_discount(discount, currency)
    with transaction.atomic():
        order = Order(currency=currency, discount=discount, tax=tax, session_key=session_key)
        # Its check constraints repeat the fields' choices, which clean_fields checks without
        # asking the database (validating them would cost two queries and four savepoints).
        order.full_clean(validate_constraints=False)
        order.save()
        OrderLine.objects.bulk_create(
            OrderLine(order=order, item=item, quantity=quantity, unit_price=item.price)
            for item, quantity in quantities.items()
        )
    return order


def get_order_with_lines(pk: int) -> Order:
    """Return order `pk` with discount, tax, lines and items loaded (raises Order.DoesNotExist)."""
    return Order.objects.with_lines().get(pk=pk)


def list_items_for_sale() -> QuerySet[Item]:
    """The items a buyer can pay for: those in a currency with a configured Stripe account."""
    return Item.objects.filter(currency__in=list_payable_currencies())


def count_unsellable_items() -> dict[str, int]:
    """How many items each currency without a configured account keeps out of the catalog."""
    rows = (
        Item.objects.exclude(currency__in=list_payable_currencies())
        .values("currency")
        .annotate(count=Count("pk"))
        .order_by("currency")
    )
    return {row["currency"]: row["count"] for row in rows}


def _merged_quantities(lines: Sequence[tuple[Item, int]]) -> dict[Item, int]:
    if not lines:
        raise OrderError(str(_("An order needs at least one item.")))
    quantities: dict[Item, int] = {}
    for item, quantity in lines:
        if item.pk is None:
            raise ValueError(f"item {item!r} is not saved")
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise TypeError(f"quantity must be an int, not {type(quantity).__name__}")
        quantities[item] = quantities.get(item, 0) + quantity
    for item, quantity in quantities.items():
        if not 1 <= quantity <= MAX_QUANTITY:
            raise OrderError(
                str(
                    _("The quantity of %(item)s must be between 1 and %(maximum)d.")
                    % {"item": item.name, "maximum": MAX_QUANTITY}
                )
            )
    return quantities


def _single_currency(items: list[Item]) -> str:
    currency = items[0].currency
    for item in items[1:]:
        if item.currency != currency:
            raise OrderError(
                str(
                    _(
                        "An order holds one currency only: %(item)s is priced in %(item_currency)s,"
                        " this order is in %(order_currency)s."
                    )
                    % {
                        "item": item.name,
                        "item_currency": item.currency.upper(),
                        "order_currency": currency.upper(),
                    }
                )
            )
    return currency


def _check_discount(discount: Discount, currency: str) -> None:
    if not discount.active:
        raise OrderError(str(_("This discount is no longer available.")))
    if discount.amount_off is not None and discount.currency != currency:
        raise OrderError(
            str(
                _("This discount is in %(discount)s; the order is in %(order)s.")
                % {"discount": discount.currency.upper(), "order": currency.upper()}
            )
        )
