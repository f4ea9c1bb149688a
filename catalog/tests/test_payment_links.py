"""Payment links: a staff-made order reaches its buyer through a random token, and only them."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from catalog.models import Order
from catalog.payment_links import (
    PaymentLink,
    PaymentLinkError,
    create_payment_link,
    revoke_payment_link,
)
from catalog.tests.factories import make_item, make_order
from catalog.tests.helpers import link_url, order_form, staff_order

pytestmark = pytest.mark.django_db


class TestCreatePaymentLink:
    def test_the_token_is_long_random_and_not_the_order_id(self):
        """The token is 43 URL-safe random characters, different per order."""
        first, second = create_payment_link(staff_order()), create_payment_link(staff_order())
        assert len(first.token) == 43
        assert first.token != second.token
        assert link_url(first) == f"/pay/{first.token}"  # no order id in it

    def test_a_second_call_returns_the_same_link(self):
        """Asking twice gives the one live link, not a second."""
        order = staff_order()
        assert create_payment_link(order).token == create_payment_link(order).token
        assert PaymentLink.objects.count() == 1

    def test_a_cart_order_gets_no_link(self):
        """An order placed from a buyer's cart stays private to that buyer's session."""
        with pytest.raises(PaymentLinkError, match="placed from a buyer's cart"):
            create_payment_link(make_order())


class TestOpeningALink:
    def test_a_stranger_sees_the_order_only_after_opening_its_link(self):
        """Without the link the order is a 404; the link redirects to it and lets it be seen."""
        order, stranger = staff_order(), Client()
        link = create_payment_link(order)
        assert stranger.get(f"/order/{order.pk}").status_code == 404
        response = stranger.get(link_url(link))
        assert response.status_code == 302
        assert response["Location"] == f"/order/{order.pk}"
        assert response["Cache-Control"].startswith("max-age=0")
        assert stranger.get(f"/order/{order.pk}").status_code == 200

    def test_the_link_opens_only_its_own_order(self):
        """Holding one order's link shows nothing of another staff-made order."""
        order, other, stranger = staff_order(), staff_order(), Client()
        create_payment_link(other)
        stranger.get(link_url(create_payment_link(order)))
        assert stranger.get(f"/order/{other.pk}").status_code == 404

    def test_a_made_up_token_is_a_404(self):
        """A token that is not a live link finds nothing."""
        create_payment_link(staff_order())
        assert Client().get("/pay/not-a-token").status_code == 404

    def test_revoking_shuts_out_the_link_and_the_sessions_it_let_in(self):
        """After revoking, the link is a 404 and a session that opened it loses the order."""
        order, holder = staff_order(), Client()
        link = create_payment_link(order)
        holder.get(link_url(link))
        assert revoke_payment_link(order) is True
        assert holder.get(link_url(link)).status_code == 404
        assert holder.get(f"/order/{order.pk}").status_code == 404
        assert revoke_payment_link(order) is False


class TestAdmin:
    @pytest.fixture
    def staff(self) -> Client:
        staff = Client()
        staff.force_login(User.objects.create_superuser("boss", "boss@example.com", "pw-12345"))
        return staff

    def test_an_order_made_in_the_admin_gets_a_link_shown_with_copy(self, staff):
        """Saving a new order makes its link; the change page shows it, Copy and View on site."""
        item = make_item()
        staff.post(
            reverse("admin:catalog_order_add"), order_form(lines=[{"item": item, "quantity": 1}])
        )
        order = Order.objects.get()
        link = PaymentLink.objects.get(order=order)
        page = staff.get(reverse("admin:catalog_order_change", args=[order.pk])).content.decode()
        assert link_url(link) in page
        assert "data-copy=" in page
        assert "View on site" in page  # Django's button, through Order.get_absolute_url

    def test_revoke_and_create_again_from_the_change_page(self, staff):
        """The Revoke button deletes the link; Create makes a new one with a new token."""
        order = staff_order()
        old = create_payment_link(order).token
        change = reverse("admin:catalog_order_change", args=[order.pk])
        lines = [
            {"item": line.item, "quantity": line.quantity, "id": line.pk}
            for line in order.lines.all()
        ]
        form = order_form(initial=lines)
        staff.post(change, {**form, "_revoke_payment_link": "1"})
        assert not PaymentLink.objects.filter(order=order).exists()
        staff.post(change, {**form, "_create_payment_link": "1"})
        assert PaymentLink.objects.get(order=order).token != old

    def test_a_cart_order_shows_no_link(self, staff):
        """A cart order's page says it is private to its buyer and offers no link."""
        order = make_order()
        page = staff.get(reverse("admin:catalog_order_change", args=[order.pk])).content.decode()
        assert "private to its buyer" in page
        assert "_create_payment_link" not in page
