"""The demo order (development only: `load_demo_data` makes it with DEBUG on) is shared by link.

Anyone may open it, but whoever pays it pays their own copy, made for their browser session the
first time they pay and reused until it is paid: one buyer's payment never changes the order that
another buyer sees.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse

from catalog.buyer_session import ensure_buyer_session_key
from catalog.models import DEMO_SESSION_KEY, Order
from catalog.services import create_order

COPY_IN_SESSION = "demo_order_copy"  # the session remembers its copy's id


def resolve_order_to_pay(*, order_id: int, session: SessionBase) -> int:
    """The order a buyer pays when asking to pay `order_id`: that order, or for the demo order
    the buyer's own unpaid copy of it (made now if there is none)."""
    demo = Order.objects.with_lines().filter(pk=order_id, session_key=DEMO_SESSION_KEY).first()
    if demo is None:
        return order_id
    session_key = ensure_buyer_session_key(session)  # the copy belongs to this session
    copy_id = session.get(COPY_IN_SESSION)
    copy = Order.objects.filter(pk=copy_id, session_key=session_key).first() if copy_id else None
    if copy is None or not copy.is_payable:
        copy = create_order(
            lines=[(line.item, line.quantity) for line in demo.lines.all()],
            discount=demo.discount,
            tax=demo.tax,
            session_key=session_key,
        )
        session[COPY_IN_SESSION] = copy.pk
    return copy.pk


class SharedDemoOrder(Exception):
    """Raised by what pays an order when it is the demo order, which nobody pays itself:
    `pays_own_copy_of_demo_order` then pays the buyer's copy instead. Raised where the order
    is read anyway (`payments.locks.lock_buyer_order`), so other orders cost no query."""


def pays_own_copy_of_demo_order(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run a pay-this-order view (`pk` = the order); for the demo order, which makes the view
    raise SharedDemoOrder before it changes anything, run it again on `resolve_order_to_pay`."""

    @wraps(view)
    def paying(request: HttpRequest, *args: Any, pk: int, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, pk=pk, **kwargs)
        except SharedDemoOrder:
            copy = resolve_order_to_pay(order_id=pk, session=request.session)
            return view(request, *args, pk=copy, **kwargs)

    return paying
