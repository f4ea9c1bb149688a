"""The webhook endpoint: real HMAC signatures, and the emulator's own deliveries reaching it."""

from __future__ import annotations

import time

import pytest

from catalog.models import OrderStatus
from catalog.tests.factories import make_item, make_order
from payments.models import PaymentStatus, WebhookEvent
from payments.tests.helpers import deliver, intent_event, signature, statuses
from testing.accounts import WEBHOOK_SECRETS

pytestmark = pytest.mark.django_db


class TestSignature:
    @pytest.mark.parametrize(
        "header",
        [
            None,
            "",
            "t=1,v1=deadbeef",
            "garbage",
        ],
    )
    def test_missing_or_forged_signature_is_a_400_that_touches_nothing(
        self, client, payment, header
    ):
        """A missing or forged Stripe-Signature answers 400 and stores nothing."""
        payload = intent_event("payment_intent.succeeded", payment)
        headers = {} if header is None else {"Stripe-Signature": header}
        response = client.post(
            "/payments/webhook/usd/", payload, content_type="application/json", headers=headers
        )
        assert response.status_code == 400
        assert not WebhookEvent.objects.exists()
        assert statuses(payment) == (PaymentStatus.REQUIRES_PAYMENT, OrderStatus.OPEN)

    def test_a_stale_signature_is_refused(self, client, payment):
        """A signature older than the tolerance is refused."""
        payload = intent_event("payment_intent.succeeded", payment)
        stale = signature(payload, WEBHOOK_SECRETS["usd"], int(time.time()) - 301)
        assert deliver(client, payload, header=stale).status_code == 400
        assert not WebhookEvent.objects.exists()

    def test_a_tampered_payload_is_refused(self, client, payment):
        """A body changed after signing no longer matches its signature: refused."""
        payload = intent_event("payment_intent.succeeded", payment, amount=1)
        header = signature(payload, WEBHOOK_SECRETS["usd"])
        tampered = payload.replace(b'"amount": 1,', b'"amount": 3000,')
        assert tampered != payload
        assert deliver(client, tampered, header=header).status_code == 400
        assert statuses(payment)[0] == PaymentStatus.REQUIRES_PAYMENT

    def test_the_other_accounts_secret_is_refused(self, client, payment):
        """An event signed with another account's secret is refused on this account's endpoint."""
        payload = intent_event("payment_intent.succeeded", payment)
        assert deliver(client, payload, secret=WEBHOOK_SECRETS["eur"]).status_code == 400
        assert not WebhookEvent.objects.exists()

    def test_a_rotated_secret_with_two_signatures_is_accepted(self, client, payment):
        """During a secret rotation Stripe sends two v1 signatures; one valid is enough."""
        payload = intent_event("payment_intent.succeeded", payment)
        old = signature(payload, "whsec_old_secret_no_longer_valid")
        new = signature(payload, WEBHOOK_SECRETS["usd"]).split(",")[1]
        assert deliver(client, payload, header=f"{old},{new}").status_code == 200

    def test_a_missing_webhook_secret_is_a_configuration_error_not_a_skip(
        self, client, payment, settings, caplog
    ):
        """Without a webhook secret the endpoint answers 503, never skipping verification."""
        settings.STRIPE_ACCOUNTS = {
            **settings.STRIPE_ACCOUNTS,
            "usd": {**settings.STRIPE_ACCOUNTS["usd"], "webhook_secret": ""},
        }
        payload = intent_event("payment_intent.succeeded", payment)
        response = deliver(client, payload)
        assert response.status_code == 503
        assert "STRIPE_USD_WEBHOOK_SECRET is not set" in caplog.text
        assert statuses(payment)[0] == PaymentStatus.REQUIRES_PAYMENT

    def test_an_unknown_account_is_a_404(self, client, payment):
        """A webhook URL for a currency without an account is a 404."""
        assert deliver(client, b"{}", currency="gbp", secret="whsec_x").status_code == 404

    def test_csrf_is_not_required(self, payment):
        """Stripe's POST carries no CSRF token and is still accepted (the signature stands in)."""
        from django.test import Client

        response = deliver(
            Client(enforce_csrf_checks=True), intent_event("payment_intent.succeeded", payment)
        )
        assert response.status_code == 200

    def test_get_is_not_allowed(self, client, payment):
        """The webhook endpoint answers GET with 405."""
        assert client.get("/payments/webhook/usd/").status_code == 405


@pytest.mark.django_db(transaction=True)
class TestDeliveredByTheEmulator:
    def test_a_confirmed_payment_intent_reaches_the_webhook_and_pays_the_order(
        self, client, stripe_webhooks
    ):
        """A PaymentIntent confirmed at the emulator reaches the webhook and pays the order."""
        from payments.gateway.accounts import get_account, get_stripe_client

        order = make_order(lines=[(make_item(currency="eur"), 1)])
        body = client.post(f"/order/{order.pk}/payment-intent").json()
        get_stripe_client(get_account("eur")).v1.payment_intents.confirm(
            body["paymentIntent"], {"payment_method": "pm_card_visa", "return_url": "http://x/"}
        )
        stripe_webhooks.flush_webhooks()
        order.refresh_from_db()
        assert order.status == OrderStatus.PAID
        deliveries = stripe_webhooks.webhook_deliveries()
        assert deliveries
        assert all(d["status"] == "succeeded" for d in deliveries)
        assert {d["account"] for d in deliveries} == {"shopeur"}
        assert (
            WebhookEvent.objects.filter(type="payment_intent.succeeded", account="eur").count() == 1
        )
