"""Stripe Checkout routes, included at the site root: `/buy/<id>` is the assignment's URL."""

from django.urls import path

from payments import views_checkout

app_name = "checkout"
urlpatterns = [
    path("buy/<int:pk>", views_checkout.buy_item, name="buy_item"),
    path("order/<int:pk>/buy", views_checkout.buy_order, name="buy_order"),
    path("payments/checkout/success", views_checkout.success, name="success"),
    path(
        "payments/checkout/cancel/item/<int:pk>",
        views_checkout.cancel,
        {"kind": "item"},
        name="cancel_item",
    ),
    path(
        "payments/checkout/cancel/order/<int:pk>",
        views_checkout.cancel,
        {"kind": "order"},
        name="cancel_order",
    ),
]
