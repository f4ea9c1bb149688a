"""The admin an owner reads and refunds from: money with its currency, short ids in lists, the
refund form (major units in, exact minor units out) and the paid-twice one-click refund."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Order, OrderStatus
from catalog.tests.factories import make_item, make_order
from payments.models import Payment, PaymentKind, PaymentStatus, Refund
from payments.tests.helpers import buy, make_payment, pay, pay_server_side
from payments.tests.open_attempts import intent_beside

pytestmark = pytest.mark.django_db

SESSION_ID = "cs_test_a1" + "x" * 56  # as long as Stripe's: 66 characters


@pytest.fixture
def paid(client, stripe_accounts) -> Payment:
    """An order of 113.50 USD paid with the card form (the PaymentIntent really succeeded)."""
    order = make_order(lines=[(make_item(price="113.50"), 1)])
    client.post(f"/order/{order.pk}/payment-intent")
    payment = Payment.objects.get()
    pay_server_side(payment)
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.SUCCEEDED)
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.PAID)
    payment.refresh_from_db()
    return payment


def refund_form(admin_client, payment: Payment) -> dict[str, str]:
    """The refund form's fields as the admin page fills them."""
    page = admin_client.get(f"/admin/payments/payment/{payment.pk}/refund/").content.decode()
    key = re.search(r'name="key" value="([^"]+)"', page)
    assert key is not None
    return {"amount": "113.50", "reason": "requested_by_customer", "key": key.group(1)}


class TestAdminLists:
    def test_every_list_shows_money_with_its_currency(self, admin_client, paid):
        """Payments, refunds and orders show $113.50, never 11350 usd; events list renders."""
        Payment.objects.create(
            order=paid.order,
            kind=PaymentKind.CHECKOUT_SESSION,
            account="usd",
            stripe_id=SESSION_ID,
            amount=11350,
            shop_amount=11350,
            currency="usd",
        )
        Refund.objects.create(
            payment=paid, stripe_id="re_1", amount=1050, currency="usd", status="succeeded"
        )
        payments = admin_client.get("/admin/payments/payment/").content.decode()
        assert "$113.50" in payments
        assert "$10.50" in payments  # refunded
        assert "11350" not in payments
        # Cut in the list; whole only in what is not drawn (tooltips, the action checkbox's
        # label for screen readers).
        assert SESSION_ID not in re.sub(r'(title|aria-label)="[^"]*"', "", payments)
        assert admin_client.get("/admin/payments/refund/").content.decode().count("$10.50") == 1
        assert "$113.50" in admin_client.get("/admin/catalog/order/").content.decode()
        assert admin_client.get("/admin/payments/webhookevent/").status_code == 200
        session = Payment.objects.get(stripe_id=SESSION_ID)
        detail = admin_client.get(f"/admin/payments/payment/{session.pk}/change/")
        assert SESSION_ID in detail.content.decode()  # whole on its own page
        assert "$113.50" in detail.content.decode()
        assert "11350" not in detail.content.decode()
        refund = admin_client.get(f"/admin/payments/refund/{Refund.objects.get().pk}/change/")
        assert "$10.50" in refund.content.decode()

    def test_the_payments_list_makes_as_many_queries_for_ten_rows_as_for_one(
        self, admin_client, paid
    ):
        """The refunded column is summed in the list's query, not once per row."""

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert admin_client.get("/admin/payments/payment/").status_code == 200
            return len(captured)

        one = queries()
        for number in range(9):
            make_payment(
                make_order(), f"pi_row_{number}", amount=100, status=PaymentStatus.SUCCEEDED
            )
            Refund.objects.create(
                payment=Payment.objects.get(stripe_id=f"pi_row_{number}"),
                stripe_id=f"re_row_{number}",
                amount=50,
                currency="usd",
                status="succeeded",
            )
        assert queries() == one

    def test_the_stripe_dashboard_link_only_with_stripes_own_api(
        self, admin_client, paid, settings
    ):
        """Test keys link to the test-mode Dashboard; the emulator's ids get no link."""
        url = f"/admin/payments/payment/{paid.pk}/change/"
        assert "dashboard.stripe.com" not in admin_client.get(url).content.decode()
        settings.STRIPE_API_BASE = "https://api.stripe.com"
        expected = f"https://dashboard.stripe.com/test/payments/{paid.stripe_id}"
        assert expected in admin_client.get(url).content.decode()


class TestRefundForm:
    def test_a_partial_refund_in_major_units_is_sent_in_minor_units(self, admin_client, paid):
        """12.34 typed becomes 1234 cents at Stripe; the payment is then partially refunded."""
        data = {**refund_form(admin_client, paid), "amount": "12.34"}
        response = admin_client.post(f"/admin/payments/payment/{paid.pk}/refund/", data)
        assert response.status_code == 302
        assert Refund.objects.get().amount == 1234
        paid.refresh_from_db()
        assert paid.status == PaymentStatus.PARTIALLY_REFUNDED
        page = admin_client.get(f"/admin/payments/payment/{paid.pk}/refund/").content.decode()
        assert "$101.16" in page  # what is left

    @pytest.mark.parametrize(
        ("amount", "message"),
        [
            ("113.51", "At most $113.50 of this payment can be refunded."),
            ("1.005", "USD has no amounts that small."),
            ("-1", "greater than or equal to 0"),
            ("lots", "Enter a number."),
        ],
    )
    def test_bad_amounts_are_refused_with_a_message(self, admin_client, paid, amount, message):
        """Over-refunds and amounts the currency can't hold: the form says why; no refund."""
        data = {**refund_form(admin_client, paid), "amount": amount}
        response = admin_client.post(f"/admin/payments/payment/{paid.pk}/refund/", data)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Refund.objects.exists()

    def test_staff_without_the_permission_cannot_refund(self, client, paid):
        """Refunding needs payments.add_refund; viewing payments alone is not enough."""
        staff = User.objects.create_user("clerk", password="pass-word-1", is_staff=True)
        staff.user_permissions.add(Permission.objects.get(codename="view_payment"))
        client.force_login(staff)
        assert client.get(f"/admin/payments/payment/{paid.pk}/refund/").status_code == 403
        assert (
            "refund-link"
            not in client.get(f"/admin/payments/payment/{paid.pk}/change/").content.decode()
        )


class TestPaidTwice:
    def test_one_click_refunds_the_duplicate_and_the_order_stays_paid(
        self, client, admin_client, stripe_accounts, django_capture_on_commit_callbacks
    ):
        """Card form and Checkout both paid: the card payment offers its refund in one click."""
        item = make_item(price="15.00")
        session_id = buy(client, f"/buy/{item.pk}")["id"]
        # Both attempts open at once, as two racing requests leave them (opening one through
        # its endpoint would close the other first: payments.attempts).
        card = intent_beside(Payment.objects.get(stripe_id=session_id).order_id)
        pay_server_side(card)
        pay(stripe_accounts, session_id)
        with django_capture_on_commit_callbacks(execute=True):
            client.get(f"/payments/checkout/success?session_id={session_id}")
        page = admin_client.get(f"/admin/payments/payment/{card.pk}/change/").content.decode()
        form = re.search(
            r'<form method="post" action="([^"]+)" id="refund-duplicate".*?</form>', page, re.S
        )
        assert form is not None
        fields = dict(re.findall(r'name="(\w+)" value="([^"]+)"', form.group(0)))
        assert (fields["amount"], fields["reason"]) == ("15.00", "duplicate")
        assert admin_client.post(form.group(1), fields).status_code == 302
        card.refresh_from_db()
        assert (card.status, card.attention) == (PaymentStatus.REFUNDED, "")
        assert card.order.status == OrderStatus.PAID  # the Checkout payment still pays it
        page = admin_client.get(f"/admin/payments/payment/{card.pk}/change/").content.decode()
        assert "refund-duplicate" not in page
