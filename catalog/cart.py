"""The buyer's cart: item ids and quantities in the session, never prices.

Prices are read from the database whenever the cart is shown or ordered, so a price changed in
the admin applies at once and nothing the browser sends can set an amount.
"""

from django.contrib.sessions.backends.base import SessionBase
from django.utils.translation import gettext as _

from catalog.models import MAX_QUANTITY, Item
from catalog.totals import LineInput, Totals, compute_totals


class CartError(Exception):
    """A cart change that cannot be made; the message is safe to show to the buyer."""


class Cart:
    """A one-currency cart kept in the session as ``{"<item id>": quantity}``."""

    session_key = "cart"

    def __init__(self, session: SessionBase) -> None:
        self._session = session

    @property
    def quantities(self) -> dict[int, int]:
        """Item id -> quantity, in the order the items were first added."""
        stored: dict[str, int] = self._session.get(self.session_key, {})
        return {int(item_id): quantity for item_id, quantity in stored.items()}

    @property
    def count(self) -> int:
        """Units in the cart, for the header badge (no database query)."""
        return sum(self.quantities.values())

    def __len__(self) -> int:
        return len(self.quantities)

    def add(self, item: Item, quantity: int) -> None:
        """Add units of an item, refusing a second currency and more than MAX_QUANTITY units."""
        quantities = self.quantities
        other_currency = (
            Item.objects.filter(pk__in=quantities)
            .exclude(currency=item.currency)
            .values_list("currency", flat=True)
            .first()
        )
        if other_currency is not None:
            raise CartError(
                _(
                    "Your cart holds items priced in %(cart)s, so an item priced in %(item)s "
                    "cannot join it. Place that order or empty the cart first."
                )
                % {"cart": other_currency.upper(), "item": item.currency.upper()}
            )
        new_quantity = quantities.get(item.pk, 0) + quantity
        if new_quantity > MAX_QUANTITY:
            raise CartError(
                _("A cart can hold at most %(max)d units of one item.") % {"max": MAX_QUANTITY}
            )
        quantities[item.pk] = new_quantity
        self._save(quantities)

    def update(self, item_id: int, quantity: int) -> None:
        """Set the quantity of an item already in the cart; unknown ids are ignored."""
        quantities = self.quantities
        if item_id in quantities:
            quantities[item_id] = quantity
            self._save(quantities)

    def remove(self, item_id: int) -> None:
        quantities = self.quantities
        if quantities.pop(item_id, None) is not None:
            self._save(quantities)

    def clear(self) -> None:
        self._session.pop(self.session_key, None)

    def lines(self) -> list[tuple[Item, int]]:
        """(item, quantity) pairs in cart order, in one query; items deleted since are dropped."""
        quantities = self.quantities
        items = Item.objects.in_bulk(list(quantities))
        if len(items) < len(quantities):
            self._save({pk: qty for pk, qty in quantities.items() if pk in items})
        return [(items[pk], qty) for pk, qty in quantities.items() if pk in items]

    @staticmethod
    def totals(lines: list[tuple[Item, int]]) -> Totals | None:
        """Preview totals (no discount or tax yet) of `lines`; None for an empty cart.

        Raises CartError when the items' currencies differ, which only an item whose currency
        was changed in the admin after it was added can cause.
        """
        if not lines:
            return None
        currencies = sorted({item.currency for item, _quantity in lines})
        if len(currencies) > 1:
            raise CartError(
                _(
                    "Your cart mixes currencies (%(currencies)s), but an order is paid in one "
                    "currency. Remove the items priced in all but one of them."
                )
                % {"currencies": ", ".join(code.upper() for code in currencies)}
            )
        return compute_totals(
            currency=currencies[0],
            lines=[LineInput(item.name, item.price_minor, quantity) for item, quantity in lines],
            discount=None,
            tax=None,
        )

    def _save(self, quantities: dict[int, int]) -> None:
        self._session[self.session_key] = {str(pk): qty for pk, qty in quantities.items()}
