"""Short factory functions for catalog rows; other apps' tests reuse them."""

from __future__ import annotations

from decimal import Decimal

from catalog.models import Discount, Item, Order, Tax
from catalog.services import create_order


def make_item(
    *, name: str = "Tea cup", price: str = "15.00", currency: str = "usd", description: str = ""
) -> Item:
    """Save and return a valid item (price given as a string of major units)."""
    item = Item(name=name, price=Decimal(price), currency=currency, description=description)
    item.full_clean()
    item.save()
    return item


def make_percent_discount(*, percent: str = "20", name: str = "Autumn sale") -> Discount:
    """Save and return a percent-off discount."""
    discount = Discount(name=name, percent_off=Decimal(percent))
    discount.full_clean()
    discount.save()
    return discount


def make_amount_discount(
    *, amount: str = "6.00", currency: str = "usd", name: str = "Welcome"
) -> Discount:
    """Save and return an amount-off discount in `currency`."""
    discount = Discount(name=name, amount_off=Decimal(amount), currency=currency)
    discount.full_clean()
    discount.save()
    return discount


def make_tax(*, percentage: str = "20", inclusive: bool = False, display_name: str = "VAT") -> Tax:
    """Save and return a tax rate."""
    tax = Tax(display_name=display_name, percentage=Decimal(percentage), inclusive=inclusive)
    tax.full_clean()
    tax.save()
    return tax


def make_order(
    *,
    lines: list[tuple[Item, int]] | None = None,
    discount: Discount | None = None,
    tax: Tax | None = None,
    session_key: str = "",
) -> Order:
    """Save and return an order via `create_order` (default: 2 tea cups at 15.00 USD)."""
    if lines is None:
        lines = [(make_item(), 2)]
    return create_order(lines=lines, discount=discount, tax=tax, session_key=session_key)
