"""The webhook endpoint: real HMAC signatures, events stored once, statuses only forward."""

from __future__ import annotations

import json
import time

import pytest

from catalog.models import OrderStatus
from catalog.tests.factories import make_item, make_order
from payments.models import Payment, PaymentKind, PaymentStatus, WebhookEvent
from payments.tests.helpers import deliver, intent_event, signature
from testing.accounts import WEBHOOK_SECRETS

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(settings, stripe_accounts):
    """A usd order of 30.00 awaiting payment with its PaymentIntent."""
    order = make_order()
    return Payment.objects.create(
        order=order,
        kind=PaymentKind.PAYMENT_INTENT,
        account="usd",
        stripe_id="pi_test_webhooks",
        amount=3000,
        shop_amount=3000,
        currency="usd",
    )


def statuses(payment):
    payment.refresh_from_db()
    payment.order.refresh_from_db()
    return payment.status, payment.order.status


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


class TestPaymentIntentEvents:
    def test_succeeded_pays_the_payment_and_the_order(self, client, payment):
        """payment_intent.succeeded marks the payment succeeded and the order paid."""
        response = deliver(client, intent_event("payment_intent.succeeded", payment))
        assert (response.status_code, response.json()) == (
            200,
            {"received": True, "outcome": "handled"},
        )
        assert statuses(payment) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)
        event = WebhookEvent.objects.get()
        assert (event.account, event.event_id, event.type, event.stripe_object_id) == (
            "usd",
            "evt_test_1",
            "payment_intent.succeeded",
            payment.stripe_id,
        )

    def test_a_duplicate_is_acknowledged_and_does_nothing(self, client, payment):
        """A redelivered event is answered 200 and changes nothing a second time."""
        deliver(
            client,
            intent_event("payment_intent.payment_failed", payment, error="Your card was declined."),
        )
        Payment.objects.filter(pk=payment.pk).update(last_error="changed by hand")
        again = deliver(
            client,
            intent_event("payment_intent.payment_failed", payment, error="Your card was declined."),
        )
        assert again.json() == {"received": True, "outcome": "duplicate"}
        payment.refresh_from_db()
        assert payment.last_error == "changed by hand"
        assert WebhookEvent.objects.count() == 1

    def test_the_same_event_id_in_the_other_account_is_another_event(self, client, payment):
        """Event ids are unique per account: the same id from another account is handled."""
        eur = Payment.objects.create(
            order=make_order(lines=[(make_item(currency="eur"), 1)]),
            kind=PaymentKind.PAYMENT_INTENT,
            account="eur",
            stripe_id="pi_test_eur",
            amount=1500,
            shop_amount=1500,
            currency="eur",
        )
        deliver(client, intent_event("payment_intent.succeeded", payment))
        deliver(client, intent_event("payment_intent.succeeded", eur), currency="eur")
        assert statuses(eur) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)
        assert WebhookEvent.objects.count() == 2

    def test_a_late_payment_failed_never_unpays(self, client, payment):
        """A payment_failed arriving after succeeded leaves the payment and order paid."""
        deliver(client, intent_event("payment_intent.succeeded", payment, event_id="evt_2"))
        deliver(
            client,
            intent_event(
                "payment_intent.payment_failed", payment, event_id="evt_1", error="declined"
            ),
        )
        deliver(client, intent_event("payment_intent.canceled", payment, event_id="evt_3"))
        assert statuses(payment) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)
        assert WebhookEvent.objects.count() == 3

    def test_failed_then_retried_successfully(self, client, payment):
        """A failed attempt then a successful retry of the same PaymentIntent ends paid."""
        deliver(
            client,
            intent_event(
                "payment_intent.payment_failed",
                payment,
                event_id="evt_1",
                error="Your card has insufficient funds.",
            ),
        )
        payment.refresh_from_db()
        assert payment.last_error == "Your card has insufficient funds."
        assert statuses(payment) == (PaymentStatus.FAILED, OrderStatus.FAILED)
        deliver(client, intent_event("payment_intent.succeeded", payment, event_id="evt_2"))
        assert statuses(payment) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)
        payment.refresh_from_db()
        assert payment.last_error == ""

    def test_processing_then_canceled(self, client, payment):
        """processing then canceled ends both the payment and the order canceled."""
        deliver(client, intent_event("payment_intent.processing", payment, event_id="evt_1"))
        assert statuses(payment) == (PaymentStatus.PROCESSING, OrderStatus.PROCESSING)
        deliver(client, intent_event("payment_intent.canceled", payment, event_id="evt_2"))
        assert statuses(payment) == (PaymentStatus.CANCELED, OrderStatus.CANCELED)

    def test_another_currency_is_refused_but_acknowledged(self, client, payment, caplog):
        """An event in another currency than the payment is logged, acknowledged, and ignored."""
        response = deliver(
            client, intent_event("payment_intent.succeeded", payment, currency="eur")
        )
        assert response.status_code == 200
        assert statuses(payment) == (PaymentStatus.REQUIRES_PAYMENT, OrderStatus.OPEN)
        assert "is in eur but payment" in caplog.text

    def test_a_short_amount_is_recorded_and_logged_and_leaves_the_order_unpaid(
        self, client, payment, caplog
    ):
        """Money moved, so the payment succeeded; but it doesn't cover the order, so the order
        is not paid (nor payable again) and staff are told."""
        deliver(client, intent_event("payment_intent.succeeded", payment, amount=2999))
        payment.refresh_from_db()
        assert (payment.status, payment.amount, payment.amount_mismatch) == (
            PaymentStatus.SUCCEEDED,
            2999,
            -1,
        )
        assert "received 2999 usd but order" in caplog.text
        assert statuses(payment) == (PaymentStatus.SUCCEEDED, OrderStatus.PROCESSING)
        assert not payment.covers_order
        assert payment.attention

    def test_more_than_the_order_costs_pays_it_and_is_logged(self, client, payment, caplog):
        """A PaymentIntent for more than the order costs pays it, and the mismatch is logged."""
        deliver(client, intent_event("payment_intent.succeeded", payment, amount=3001))
        assert statuses(payment) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)
        assert "received 3001 usd but order" in caplog.text

    def test_a_livemode_event_on_test_keys_is_ignored(self, client, payment):
        """A livemode event reaching an account on test keys is ignored."""
        response = deliver(client, intent_event("payment_intent.succeeded", payment, livemode=True))
        assert response.json()["outcome"] == "ignored"
        assert statuses(payment)[0] == PaymentStatus.REQUIRES_PAYMENT

    def test_an_unknown_payment_intent_is_acknowledged(self, client, payment):
        """An event for a PaymentIntent the shop never made is acknowledged and changes nothing."""
        payment.stripe_id = "pi_someone_elses"
        response = deliver(client, intent_event("payment_intent.succeeded", payment))
        assert (response.status_code, response.json()["outcome"]) == (200, "handled")

    def test_an_unknown_event_type_is_acknowledged_and_stored(self, client, payment):
        """An event type without a handler is stored once and answered 200."""
        payload = json.dumps(
            {
                "id": "evt_x",
                "object": "event",
                "type": "customer.tax_id.created",
                "livemode": False,
                "created": 1,
                "data": {"object": {"id": "txi_1", "object": "tax_id"}},
            }
        ).encode()
        response = deliver(client, payload)
        assert (response.status_code, response.json()["outcome"]) == (200, "ignored")
        assert WebhookEvent.objects.get().type == "customer.tax_id.created"

    def test_a_checkout_payment_is_found_by_its_payment_intent(self, client, payment):
        """A payment_intent event finds a Checkout payment by the PaymentIntent Stripe made."""
        checkout = Payment.objects.create(
            order=make_order(),
            kind=PaymentKind.CHECKOUT_SESSION,
            account="usd",
            stripe_id="cs_test_x",
            stripe_payment_intent_id="pi_from_checkout",
            amount=3000,
            shop_amount=3000,
            currency="usd",
        )
        checkout.stripe_id = "pi_from_checkout"  # the event names the PaymentIntent
        deliver(client, intent_event("payment_intent.succeeded", checkout))
        checkout.refresh_from_db()
        assert checkout.status == PaymentStatus.SUCCEEDED


@pytest.mark.django_db(transaction=True)
class TestDeliveredByTheEmulator:
    def test_a_confirmed_payment_intent_reaches_the_webhook_and_pays_the_order(
        self, client, stripe_webhooks
    ):
        """A PaymentIntent confirmed at the emulator reaches the webhook and pays the order."""
        from payments.gateway.accounts import account_for, client_for

        order = make_order(lines=[(make_item(currency="eur"), 1)])
        body = client.post(f"/order/{order.pk}/payment-intent").json()
        client_for(account_for("eur")).v1.payment_intents.confirm(
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
