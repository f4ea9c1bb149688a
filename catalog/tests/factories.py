"""Short factory functions for catalog rows; other apps' tests reuse them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from catalog.models import Discount, Item, Order, Tax
from catalog.services import create_order

# The test buyer's session: `make_order` places orders in it by default, and the `client` and
# `page` fixtures (conftest.py) send its cookie, so a test's buyer may see and pay its order.
BUYER_SESSION_KEY = "testbuyersession0123456789abcdef"


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
    session_key: str = BUYER_SESSION_KEY,
) -> Order:
    """Save and return an order via `create_order` (default: 2 tea cups at 15.00 USD, placed
    by the test buyer's session; `session_key=""` for one made in the admin)."""
    if lines is None:
        lines = [(make_item(), 2)]
    if session_key == BUYER_SESSION_KEY:
        buyer_session()
    return create_order(lines=lines, discount=discount, tax=tax, session_key=session_key)


def buyer_session() -> str:
    """Make sure the test buyer's session exists (its cookie is sent by the test clients)."""
    Session.objects.get_or_create(
        session_key=BUYER_SESSION_KEY,
        defaults={
            "session_data": SessionStore().encode({}),
            "expire_date": timezone.now() + timedelta(days=1),
        },
    )
    return BUYER_SESSION_KEY
