"""Stripe Checkout pages: `GET /buy/<id>` (the assignment's URL), `GET /order/<id>/buy`, and the
success and cancel pages Checkout sends the buyer back to. Rules live in `payments.checkout`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from catalog.buyer_session import buyer_session_key
from catalog.demo_order import pays_own_copy_of_demo_order
from payments.checkout import (
    CheckoutLink,
    ReturnUrls,
    checkout_for_item,
    checkout_for_order,
    checkout_result,
)
from payments.exceptions import OrderNotFound, PaymentError
from payments.receipts import receipt_context, remember_card
from payments.site_url import site_url
from payments.views import refusal_answer
from project.rate_limits import item_account, order_account, rate_limited


@never_cache
@require_GET
@rate_limited(json=True, account_of=item_account)
def buy_item(request: HttpRequest, pk: int) -> JsonResponse:
    """JSON `{"id": "cs_…", "url": "…"}` for a Checkout Session paying one unit of the item."""
    # Every buyer gets their own order: the session is saved so the answer sets its cookie, and
    # the order belongs to it. A client that drops cookies (curl) gets a new order each time:
    # an order shared by all such clients could be opened and paid by anyone (checklist 1.6).
    session_key = buyer_session_key(request.session)
    try:
        link = checkout_for_item(
            item_id=pk,
            urls=_return_urls("item", pk),
            session_key=session_key,
            is_staff=request.user.is_staff,
        )
    except OrderNotFound:
        return JsonResponse({"error": _("No such item.")}, status=404)
    except PaymentError as error:
        return refusal_answer(error)
    return _link_answer(link)


@never_cache
@require_GET
@rate_limited(json=True, account_of=order_account)
@pays_own_copy_of_demo_order
def buy_order(request: HttpRequest, pk: int) -> JsonResponse:
    """Like `buy_item`, for an order this buyer may pay (the order page's rule), else 404."""
    try:
        link = checkout_for_order(
            order_id=pk,
            urls=_return_urls("order", pk),
            session_key=request.session.session_key,
            is_staff=request.user.is_staff,
        )
    except OrderNotFound:
        return JsonResponse({"error": _("No such order.")}, status=404)
    except PaymentError as error:
        return refusal_answer(error)
    return _link_answer(link)


@never_cache
@require_GET
def success(request: HttpRequest) -> HttpResponse:
    """Where Checkout returns after payment: what Stripe says now, on the shop's result page."""
    try:
        result = checkout_result(
            session_id=request.GET.get("session_id", ""),
            session_key=request.session.session_key,
            is_staff=request.user.is_staff,
        )
    except OrderNotFound:
        raise Http404("No such Checkout Session") from None
    remember_card(result.payment)
    return render(request, "payments/result.html", receipt_context(result))


@require_GET
def cancel(request: HttpRequest, kind: str, pk: int) -> HttpResponseRedirect:
    """Where Checkout's back link leads: say nothing was charged, and show the item or order."""
    messages.info(
        request,
        _("You left Stripe Checkout; nothing was charged. You can pay whenever you are ready."),
    )
    target = "catalog:item_detail" if kind == "item" else "catalog:order_detail"
    return redirect(target, pk=pk)


def _return_urls(kind: str, pk: int) -> ReturnUrls:
    # On SITE_URL, never the request's Host. Stripe replaces the literal {CHECKOUT_SESSION_ID};
    # it must not be URL-encoded.
    success_url = site_url(reverse("checkout:success"))
    cancel_url = site_url(reverse(f"checkout:cancel_{kind}", args=[pk]))
    return ReturnUrls(
        success=f"{success_url}?session_id={{CHECKOUT_SESSION_ID}}", cancel=cancel_url
    )


def _link_answer(link: CheckoutLink) -> JsonResponse:
    return JsonResponse({"id": link.id, "url": link.url})
