"""The catalog's tables: items for sale, discounts, tax rates and orders of several items.

Every rule Stripe would enforce (positive amounts, the currency's decimal places, Stripe's
maximum, one currency per order) is checked in `clean()` with a message for the form, and the
rules that need no join are CheckConstraints too, so bad rows cannot arrive by another road.

One module per model and its rules: `item`, `pricing` (discounts and tax rates), `order`
(orders, their lines and statuses); `amounts` says what amount can be charged.
"""

from catalog.models.item import Item
from catalog.models.order import (
    DEMO_SESSION_KEY,
    MAX_QUANTITY,
    PAID_ORDER_STATUSES,
    PAYABLE_ORDER_STATUSES,
    Order,
    OrderLine,
    OrderQuerySet,
    OrderStatus,
)
from catalog.models.pricing import Discount, Tax

# Importing it here also registers its two models with this app.
from catalog.payment_links import PaymentLink, PaymentLinkHolder

__all__ = [
    "DEMO_SESSION_KEY",
    "MAX_QUANTITY",
    "PAID_ORDER_STATUSES",
    "PAYABLE_ORDER_STATUSES",
    "Discount",
    "Item",
    "Order",
    "OrderLine",
    "OrderQuerySet",
    "OrderStatus",
    "PaymentLink",
    "PaymentLinkHolder",
    "Tax",
]
