"""The admin's "Sync with Stripe" action on the order and payment lists, as staff who may only
view them: one reconciliation run over the selected rows' payments."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from catalog.models import OrderStatus
from payments.models import PaymentStatus
from payments.tests.helpers import card_payment, checkout_payment, pay, pay_server_side, statuses


@pytest.mark.django_db
class TestSyncWithStripeAction:
    @pytest.fixture
    def staff(self) -> Client:
        """Staff who may only view orders and payments."""
        user = User.objects.create_user("clerk", password="x", is_staff=True)
        user.user_permissions.set(
            Permission.objects.filter(codename__in=["view_order", "view_payment"])
        )
        staff = Client()
        staff.force_login(user)
        return staff

    @pytest.mark.parametrize("model", ["catalog_order", "payments_payment"])
    def test_records_what_stripe_says_for_the_selected_rows(
        self, client, stripe_accounts, staff, model
    ):
        """The action on the order list and on the payment list records the paid payment of
        the selected row, leaves the others, and says what it did."""
        paid, other = checkout_payment(client), card_payment(client)
        pay(stripe_accounts, paid.stripe_id)
        pay_server_side(other)
        selected = paid.order_id if model == "catalog_order" else paid.pk

        response = staff.post(
            reverse(f"admin:{model}_changelist"),
            {"action": "sync_with_stripe", "_selected_action": [selected]},
            follow=True,
        )

        assert response.status_code == 200
        shown = [str(message) for message in response.context["messages"]]
        assert any("requires_payment -> succeeded" in message for message in shown)
        assert any("Checked 1 payments with Stripe: 1 changed" in message for message in shown)
        assert statuses(paid) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)
        assert statuses(other) == (PaymentStatus.REQUIRES_PAYMENT, OrderStatus.OPEN)
