"""Payment endpoints: the card form's PaymentIntent, the return page and the webhook.

Each view parses its input, calls one function of `payments.services` (or the webhook
dispatcher) and answers; the rules live there.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_POST

from catalog.buyer_session import buyer_session_key
from catalog.demo_order import pays_own_copy_of_demo_order
from payments.exceptions import OrderNotFound, OrderPaidOrBeingPaid, PaymentError
from payments.gateway.accounts import webhook_secret_for
from payments.gateway.events import BadSignature, NotAnEvent, event_from_webhook
from payments.receipts import receipt_context, remember_card
from payments.services import (
    PaymentSetup,
    order_for_item,
    payment_intent_for_order,
    payment_result,
)
from payments.webhooks.handlers import handle_event
from project.rate_limits import item_account, order_account, rate_limited

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


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def refusal_answer(error: PaymentError) -> JsonResponse:
    """The JSON answer of a payment that could not start. An order paid or being paid is a
    409 naming its page, which the card form and the Checkout button show instead."""
    body = {"error": error.message}
    if isinstance(error, OrderPaidOrBeingPaid):
        body["order"] = reverse("catalog:order_detail", args=[error.order_id])
    return JsonResponse(body, status=error.status_code)


def _pay_order(request: HttpRequest, order_id: int) -> JsonResponse:
    try:
        setup = payment_intent_for_order(
            order_id=order_id,
            session_key=request.session.session_key,
            is_staff=request.user.is_staff,
        )
    except OrderNotFound:
        return _error(_("This order does not exist."), 404)
    except PaymentError as error:
        return refusal_answer(error)
    return _setup_response(setup)


@require_POST
@rate_limited(json=True, account_of=order_account)
@pays_own_copy_of_demo_order
def order_payment_intent(request: HttpRequest, pk: int) -> JsonResponse:
    """POST /order/<id>/payment-intent: the order's one PaymentIntent, for the card form."""
    return _pay_order(request, pk)


@require_POST
@rate_limited(json=True, account_of=item_account)
def item_payment_intent(request: HttpRequest, pk: int) -> JsonResponse:
    """POST /item/<id>/payment-intent: pay one unit of the item as a one-line order."""
    session_key = buyer_session_key(request.session)  # the order belongs to this session
    try:
        order = order_for_item(item_id=pk, session_key=session_key)
    except OrderNotFound:
        return _error(_("This item does not exist."), 404)
    return _pay_order(request, order.pk)


@require_GET
def result(request: HttpRequest) -> HttpResponse:
    """The card form's return_url: what Stripe says about the payment, with the order."""
    try:
        outcome = payment_result(
            payment_intent=request.GET.get("payment_intent", ""),
            client_secret=request.GET.get("payment_intent_client_secret", ""),
            session_key=request.session.session_key,
            is_staff=request.user.is_staff,
        )
    except OrderNotFound:
        raise Http404("No such payment") from None
    remember_card(outcome.payment)
    response = render(request, "payments/result.html", receipt_context(outcome))
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # Stripe signs the body instead; there is no browser session to forge.
@require_POST
@sensitive_variables("secret")
def webhook(request: HttpRequest, currency: str) -> JsonResponse:
    """POST /payments/webhook/<currency>/: one endpoint per account, verified with its secret."""
    if currency not in settings.STRIPE_CURRENCIES:
        raise Http404("No such account")
    secret = webhook_secret_for(currency)
    if not secret:
        # A configuration error, never a reason to skip verification: a 5xx makes Stripe
        # redeliver once the secret is set.
        logger.error("STRIPE_%s_WEBHOOK_SECRET is not set: webhook refused", currency.upper())
        return _error("webhook not configured", 503)
    try:
        event = event_from_webhook(
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
