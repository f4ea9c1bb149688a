"""Every payment page and endpoint (their URLs are in `payments.urls`).

The card form's PaymentIntent and its return page, Stripe Checkout's `GET /buy/<id>` (the
assignment's URL), `GET /order/<id>/buy` and the pages Checkout sends the buyer back to, and the
webhook. Each view parses its input, calls one function of `payments.payment_intents`,
`payments.checkout` or `payments.webhooks` and answers; the rules live there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_POST

from catalog.buyer_session import ensure_buyer_session_key
from catalog.demo_order import pays_own_copy_of_demo_order
from payments.checkout import (
    CheckoutLink,
    ReturnUrls,
    get_checkout_result,
    open_checkout_for_item,
    open_checkout_for_order,
)
from payments.exceptions import OrderNotFound, OrderPaidOrBeingPaid, PaymentError
from payments.gateway.accounts import get_webhook_secret
from payments.gateway.events import BadSignature, NotAnEvent, verify_webhook_event
from payments.payment_intents import (
    PaymentSetup,
    get_or_create_order_for_item,
    get_payment_result,
    prepare_payment_intent_for_order,
)
from payments.receipts import build_receipt_context, remember_card
from payments.site_url import build_absolute_url
from payments.webhooks import handle_event
from project.rate_limits import (
    AccountLimit,
    OverAccountLimit,
    build_account_limit,
    build_account_limit_refusal,
    find_item_account,
    find_order_account,
    rate_limited,
)

logger = logging.getLogger("payments")


def _setup_response(setup: PaymentSetup) -> JsonResponse:
    return JsonResponse(
        {
            "clientSecret": setup.client_secret,
            "publishableKey": setup.publishable_key,
            "paymentIntent": setup.payment_intent,
            "amount": setup.amount,
            "currency": setup.currency,
        },
        headers={"Cache-Control": "no-store"},  # the client secret is for this buyer only
    )


def _staff_check(request: HttpRequest) -> Callable[[], bool]:
    """Whether the visitor is staff, found out only if asked (`payments.locks.StaffCheck`):
    `request.user` reads the session, which the order's own buyer does not need."""
    return lambda: bool(request.user.is_staff)


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def build_refusal_answer(error: PaymentError) -> JsonResponse:
    """The JSON answer of a payment that could not start. An order paid or being paid is a
    409 naming its page, which the card form and the Checkout button show instead."""
    body = {"error": error.message}
    if isinstance(error, OrderPaidOrBeingPaid):
        body["order"] = reverse("catalog:order_detail", args=[error.order_id])
    return JsonResponse(body, status=error.status_code)


def _pay_order(
    request: HttpRequest, order_id: int, account_limit: AccountLimit | None = None
) -> HttpResponse:
    try:
        setup = prepare_payment_intent_for_order(
            order_id=order_id,
            session_key=request.session.session_key,
            is_staff=_staff_check(request),
            account_limit=account_limit,
        )
    except OverAccountLimit as refused:
        return build_account_limit_refusal(request, refused)
    except OrderNotFound:
        return _error(_("This order does not exist."), 404)
    except PaymentError as error:
        return build_refusal_answer(error)
    return _setup_response(setup)


@require_POST
@rate_limited(json=True)  # the account's ceiling is checked once the order is locked
@pays_own_copy_of_demo_order
def order_payment_intent(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /order/<id>/payment-intent: the order's one PaymentIntent, for the card form."""
    return _pay_order(request, pk, build_account_limit(request))


@require_POST
@rate_limited(json=True, account_of=find_item_account)
def item_payment_intent(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /item/<id>/payment-intent: pay one unit of the item as a one-line order."""
    session_key = ensure_buyer_session_key(request.session)  # the order belongs to this session
    try:
        order = get_or_create_order_for_item(item_id=pk, session_key=session_key)
    except OrderNotFound:
        return _error(_("This item does not exist."), 404)
    return _pay_order(request, order.pk)


@require_GET
def result(request: HttpRequest) -> HttpResponse:
    """The card form's return_url: what Stripe says about the payment, with the order."""
    try:
        outcome = get_payment_result(
            payment_intent=request.GET.get("payment_intent", ""),
            client_secret=request.GET.get("payment_intent_client_secret", ""),
            session_key=request.session.session_key,
            is_staff=request.user.is_staff,
        )
    except OrderNotFound:
        raise Http404("No such payment") from None
    remember_card(outcome.payment)
    response = render(request, "payments/result.html", build_receipt_context(outcome))
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # Stripe signs the body instead; there is no browser session to forge.
@require_POST
@sensitive_variables("secret")
def webhook(request: HttpRequest, currency: str) -> JsonResponse:
    """POST /payments/webhook/<currency>/: one endpoint per account, verified with its secret."""
    if currency not in settings.STRIPE_CURRENCIES:
        raise Http404("No such account")
    secret = get_webhook_secret(currency)
    if not secret:
        # A configuration error, never a reason to skip verification: a 5xx makes Stripe
        # redeliver once the secret is set.
        logger.error("STRIPE_%s_WEBHOOK_SECRET is not set: webhook refused", currency.upper())
        return _error("webhook not configured", 503)
    try:
        event = verify_webhook_event(
            account=currency,
            secret=secret,
            payload=request.body,
            signature=request.headers.get("Stripe-Signature"),
        )
    except BadSignature as error:
        logger.warning("Refused a %s webhook: %s", currency, error)
        return _error("bad signature", 400)
    except NotAnEvent as error:
        logger.warning("Refused a signed %s webhook that is not an event: %s", currency, error)
        return _error("not a Stripe event", 400)
    try:
        outcome = handle_event(event)
    except NotAnEvent as error:
        # A handler found the event's object malformed; its transaction stored nothing.
        logger.warning("Refused %s %s: %s", event.type, event.id, error)
        return _error("not a Stripe event", 400)
    except PaymentError as error:
        # Stripe could not be asked about the event's object: nothing was stored, and a 503
        # makes Stripe deliver the event again later.
        logger.warning("Webhook %s %s deferred: %s", event.type, event.id, error)
        return _error("try again later", 503)
    return JsonResponse({"received": True, "outcome": outcome})


@never_cache
@require_GET
@rate_limited(json=True, account_of=find_item_account)
def buy_item(request: HttpRequest, pk: int) -> JsonResponse:
    """JSON `{"id": "cs_…", "url": "…"}` for a Checkout Session paying one unit of the item."""
    # Every buyer gets their own order: the session is saved so the answer sets its cookie, and
    # the order belongs to it. A client that drops cookies (curl) gets a new order each time:
    # an order shared by all such clients could be opened and paid by anyone.
    session_key = ensure_buyer_session_key(request.session)
    try:
        link = open_checkout_for_item(
            item_id=pk,
            urls=_return_urls("item", pk),
            session_key=session_key,
            is_staff=_staff_check(request),
        )
    except OrderNotFound:
        return JsonResponse({"error": _("No such item.")}, status=404)
    except PaymentError as error:
        return build_refusal_answer(error)
    return _link_answer(link)


@never_cache
@require_GET
@rate_limited(json=True, account_of=find_order_account)
@pays_own_copy_of_demo_order
def buy_order(request: HttpRequest, pk: int) -> JsonResponse:
    """Like `buy_item`, for an order this buyer may pay (the order page's rule), else 404."""
    try:
        link = open_checkout_for_order(
            order_id=pk,
            urls=_return_urls("order", pk),
            session_key=request.session.session_key,
            is_staff=_staff_check(request),
        )
    except OrderNotFound:
        return JsonResponse({"error": _("No such order.")}, status=404)
    except PaymentError as error:
        return build_refusal_answer(error)
    return _link_answer(link)


@never_cache
@require_GET
def checkout_success(request: HttpRequest) -> HttpResponse:
    """Where Checkout returns after payment: what Stripe says now, on the shop's result page."""
    try:
        result = get_checkout_result(
            session_id=request.GET.get("session_id", ""),
            session_key=request.session.session_key,
            is_staff=request.user.is_staff,
        )
    except OrderNotFound:
        raise Http404("No such Checkout Session") from None
    remember_card(result.payment)
    return render(request, "payments/result.html", build_receipt_context(result))


@require_GET
def checkout_cancel(request: HttpRequest, kind: str, pk: int) -> HttpResponseRedirect:
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
    success_url = build_absolute_url(reverse("payments:checkout_success"))
    cancel_url = build_absolute_url(reverse(f"payments:checkout_cancel_{kind}", args=[pk]))
    return ReturnUrls(
        success=f"{success_url}?session_id={{CHECKOUT_SESSION_ID}}", cancel=cancel_url
    )


def _link_answer(link: CheckoutLink) -> JsonResponse:
    return JsonResponse({"id": link.id, "url": link.url})
