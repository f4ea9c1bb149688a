"""The buyer's pages: catalog, item, cart and order. Each view parses input, calls one domain
function and renders; rules live in `catalog.services`, `catalog.totals` and `catalog.cart`."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from catalog.buyer_session import ensure_buyer_session_key
from catalog.cart import Cart, CartError
from catalog.forms import QuantityForm
from catalog.models import MAX_QUANTITY, Order
from catalog.page_cache import render_page
from catalog.page_rows import find_item_row_for_sale, get_item_columns, list_catalog_rows
from catalog.payment_hooks import refresh_before_pay
from catalog.payment_links import PaymentLink, open_payment_link
from catalog.services import (
    OrderError,
    create_order,
    get_order_with_lines,
    list_items_for_sale,
)
from catalog.totals import compute_order_totals
from project.rate_limits import rate_limited


@require_GET
def item_list(request: HttpRequest) -> HttpResponseBase:
    # The rows' every column in every language (catalog/translation.py) are the cache key
    # (catalog.page_cache), so an edit to any of it shows at once; Items are made only to render.
    rows = list_catalog_rows()

    def context() -> dict[str, object]:
        return {"items": [get_item_columns().instance(row) for row in rows]}

    return render_page(request, "catalog/item_list.html", context, key=tuple(rows))


@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    row = find_item_row_for_sale(pk)
    if row is None:
        raise Http404("No such item for sale")

    def context() -> dict[str, object]:
        item = get_item_columns().instance(row)
        return {"item": item, "form": QuantityForm(initial={"quantity": 1})}

    return render_page(request, "catalog/item_detail.html", context, key=row)


@require_GET
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an order to those allowed to see it (`Order.is_visible_to`), a 404 to others.

    A 404 rather than a 403 so order ids cannot be probed; the lines, items, discount and tax
    come in a fixed number of queries whatever the number of lines.
    """
    try:
        order = get_order_with_lines(pk)
    except Order.DoesNotExist:
        raise Http404("No such order") from None
    if not order.is_visible_to(
        session_key=request.session.session_key, is_staff=request.user.is_staff
    ):
        raise Http404("No such order")
    refresh_before_pay(order)  # perhaps paid, its news not in yet: never offer Pay again then
    context = {"order": order, "totals": compute_order_totals(order), "can_pay": order.is_payable}
    return render(request, "catalog/order_detail.html", context)


@never_cache
@require_GET
def payment_link(request: HttpRequest, token: str) -> HttpResponseRedirect:
    """Let the holder of an order's payment link see and pay it; 404 for a revoked or made-up one.

    A redirect to the order's own page, so the token leaves the address bar (and any Referer).
    """
    session_key = ensure_buyer_session_key(
        request.session
    )  # the link is remembered for this session
    try:
        order_id = open_payment_link(token=token, session_key=session_key)
    except PaymentLink.DoesNotExist:
        raise Http404("No such payment link") from None
    return redirect("catalog:order_detail", pk=order_id)


@require_GET
def cart_detail(request: HttpRequest) -> HttpResponse:
    cart = Cart(request.session)
    lines = cart.lines()
    try:
        totals = cart.totals(lines)
    except CartError as error:
        messages.error(request, str(error))
        totals = None
    # One row per line; the amount is missing when mixed currencies make totals meaningless.
    amounts = totals.lines if totals is not None else [None] * len(lines)
    rows = [(*line, amount) for line, amount in zip(lines, amounts, strict=True)]
    context = {"rows": rows, "totals": totals, "max_quantity": MAX_QUANTITY}
    return render(request, "catalog/cart_detail.html", context)


@require_POST
@rate_limited(json=False)
def cart_add(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    item = get_object_or_404(list_items_for_sale(), pk=pk)
    form = QuantityForm(request.POST)
    if not form.is_valid():
        _report_bad_quantity(request)
        return redirect("catalog:item_detail", pk=item.pk)
    try:
        Cart(request.session).add(item, form.cleaned_data["quantity"])
    except CartError as error:
        messages.error(request, str(error))
        return redirect("catalog:item_detail", pk=item.pk)
    messages.success(request, _("%(name)s is in your cart.") % {"name": item.name})
    return redirect("catalog:cart_detail")


@require_POST
def cart_update(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    form = QuantityForm(request.POST)
    if form.is_valid():
        Cart(request.session).update(pk, form.cleaned_data["quantity"])
    else:
        _report_bad_quantity(request)
    return redirect("catalog:cart_detail")


def _report_bad_quantity(request: HttpRequest) -> None:
    messages.error(request, _("Please enter a quantity from 1 to %(max)d.") % {"max": MAX_QUANTITY})


@require_POST
def cart_remove(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    Cart(request.session).remove(pk)
    return redirect("catalog:cart_detail")


@require_POST
@rate_limited(json=False)
def place_order(request: HttpRequest) -> HttpResponseRedirect:
    cart = Cart(request.session)
    # The order remembers the session that placed it (see order_detail).
    session_key = ensure_buyer_session_key(request.session)
    try:
        order = create_order(lines=cart.lines(), session_key=session_key)
    except OrderError as error:
        messages.error(request, str(error))
        return redirect("catalog:cart_detail")
    cart.clear()
    return redirect("catalog:order_detail", pk=order.pk)
