"""Payment links: how an order made in the admin reaches its buyer.

An order placed from the cart belongs to the browser session that placed it; one made by staff
has no buyer session, so staff give the buyer a link instead. The link carries a random token
(never the sequential order id): opening it lets that browser session see and pay that one
order, as `Order.is_visible_to` says. Revoking the link deletes it and every session it let
in, so the link and the sessions that used it get a 404 from then on.

The token is stored as it is, not hashed: staff must be able to copy the link again at any
time, and whoever can read this table can already open every order in the admin, so a hash
would protect nothing that a database reader lacks.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # catalog.models imports this module for its models
    from catalog.models import Order

# 32 random bytes, 43 URL-safe characters: as hard to guess as a Stripe secret key.
TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class PaymentLinkError(ValueError):
    """A link that may not be made; the message is for staff."""


class PaymentLink(models.Model):
    """The one live link to an order made in the admin."""

    order = models.OneToOneField(
        "catalog.Order",
        on_delete=models.CASCADE,
        related_name="payment_link",
        verbose_name=_("order"),
    )
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_token, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment link")
        verbose_name_plural = _("payment links")

    def __str__(self) -> str:
        return str(_("Payment link to %(order)s") % {"order": self.order})


class PaymentLinkHolder(models.Model):
    """A browser session that opened a payment link, and so may see and pay its order."""

    link = models.ForeignKey(PaymentLink, on_delete=models.CASCADE, related_name="holders")
    session_key = models.CharField(max_length=40)
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["link", "session_key"], name="catalog_paymentlinkholder_unique"
            ),
        )

    def __str__(self) -> str:
        return f"{self.link} ← {self.session_key[:8]}…"


def create_payment_link(order: Order) -> PaymentLink:
    """The order's link, made now if it has none. Only for orders made in the admin: an order
    placed from a cart stays private to the session that placed it."""
    if order.session_key:
        raise PaymentLinkError(
            _("%(order)s was placed from a buyer's cart; only that buyer may pay it.")
            % {"order": order}
        )
    link, _created = PaymentLink.objects.get_or_create(order=order)
    return link


def revoke_payment_link(order: Order) -> bool:
    """Delete the order's link and the sessions it let in; whether there was one."""
    deleted, _counts = PaymentLink.objects.filter(order=order).delete()
    return deleted > 0


def open_payment_link(*, token: str, session_key: str) -> int:
    """Let `session_key` see and pay the link's order; return the order's id.

    Raises PaymentLink.DoesNotExist for a token that is not a live link."""
    with transaction.atomic():
        link = PaymentLink.objects.get(token=token)
        PaymentLinkHolder.objects.get_or_create(link=link, session_key=session_key)
    return link.order_id


def holds_payment_link(*, order_id: int, session_key: str) -> bool:
    """Whether the session opened the order's live payment link."""
    return PaymentLinkHolder.objects.filter(
        link__order_id=order_id, session_key=session_key
    ).exists()
