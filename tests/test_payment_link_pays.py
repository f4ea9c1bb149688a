"""A payment link lets its holder pay through both payment paths (the payments app's views,
against the Stripe emulator), and nobody else."""

import pytest
from django.test import Client

from catalog.payment_links import create_payment_link
from catalog.tests.helpers import link_url, staff_order

pytestmark = pytest.mark.django_db


def test_both_payment_paths_take_it_for_the_holder_only(stripe_accounts):
    """The card form's PaymentIntent and Checkout answer the link's holder, 404 others."""
    order, holder, stranger = staff_order(), Client(), Client()
    holder.get(link_url(create_payment_link(order)))
    assert holder.post(f"/order/{order.pk}/payment-intent").status_code == 200
    assert holder.get(f"/order/{order.pk}/buy").status_code == 200
    assert stranger.post(f"/order/{order.pk}/payment-intent").status_code == 404
    assert stranger.get(f"/order/{order.pk}/buy").status_code == 404
