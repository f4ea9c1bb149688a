"""The floor's views: each the least a Django view doing that job can do."""

from __future__ import annotations

import uuid
from functools import cache

import stripe
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bench.floor import settings  # its own settings module (the type checker reads the shop's)
from bench.floor.models import Delivery, Item, Order, Payment


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One query, one small template."""
    return render(request, "floor/item.html", {"item": get_object_or_404(Item, pk=pk)})


@cache
def _client() -> stripe.StripeClient:
    """Built as payments/gateway/accounts.py builds the shop's: one per process."""
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT_SECONDS),
    )


def _create_intent(amount: int, currency: str, order_id: int) -> stripe.PaymentIntent:
    """The create the shop sends for a one-line order (payments/gateway/payment_intents.py),
    with an idempotency key of its own."""
    return _client().v1.payment_intents.create(
        {
            "amount": amount,
            "currency": currency,
            "amount_details": {
                "line_items": [{"product_name": "Floor cup", "quantity": 1, "unit_cost": amount}]
            },
            "description": f"Order #{order_id}",
            "metadata": {"order_id": str(order_id)},
            "automatic_payment_methods": {"enabled": True},
        },
        options={"idempotency_key": f"floor-{uuid.uuid4()}"},
    )


def _intent_answer(intent: stripe.PaymentIntent) -> JsonResponse:
    return JsonResponse({"client_secret": intent.client_secret, "status": intent.status})


@require_POST
def payment_intent(request: HttpRequest) -> JsonResponse:
    """The shop's create, and no database."""
    return _intent_answer(_create_intent(1500, "usd", 1))


@require_POST
def locked_payment_intent(request: HttpRequest, pk: int) -> JsonResponse:
    """The shop's create with the least database work a locked, recorded create needs: the
    order's row locked and read in a transaction (requests for one order take turns, as the
    shop's do), the create, the new PaymentIntent recorded in one row. Less than one
    PaymentIntent per order needs: the order's earlier payments are not looked at."""
    with transaction.atomic():
        order = get_object_or_404(Order.objects.select_for_update(), pk=pk)
        intent = _create_intent(order.amount, order.currency, order.pk)
        Payment.objects.create(order=order, intent_id=intent.id)
    return _intent_answer(intent)


@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> JsonResponse:
    """One signature verified, one row inserted."""
    try:
        event = stripe.Webhook.construct_event(
            request.body,
            request.headers.get("Stripe-Signature", ""),
            settings.STRIPE_WEBHOOK_SECRET,
        )
    except (ValueError, stripe.SignatureVerificationError):
        return JsonResponse({"error": "bad signature"}, status=400)
    Delivery.objects.create(event_id=event.id, type=event.type)
    return JsonResponse({"received": True})
