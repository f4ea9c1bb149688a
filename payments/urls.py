"""Every payment URL (a contract, documented in the README); included at the site root.

`/buy/<id>` is the assignment's URL: a Stripe Checkout Session for one unit of the item.
"""

from django.urls import path

from payments import views

app_name = "payments"
urlpatterns = [
    # The card form (Payment Element) and the page Stripe.js returns the buyer to.
    path("order/<int:pk>/payment-intent", views.order_payment_intent, name="order_payment_intent"),
    path("item/<int:pk>/payment-intent", views.item_payment_intent, name="item_payment_intent"),
    path("payments/result/", views.result, name="result"),
    # Stripe Checkout and the pages it sends the buyer back to.
    path("buy/<int:pk>", views.buy_item, name="buy_item"),
    path("order/<int:pk>/buy", views.buy_order, name="buy_order"),
    path("payments/checkout/success", views.checkout_success, name="checkout_success"),
    path(
        "payments/checkout/cancel/item/<int:pk>",
        views.checkout_cancel,
        {"kind": "item"},
        name="checkout_cancel_item",
    ),
    path(
        "payments/checkout/cancel/order/<int:pk>",
        views.checkout_cancel,
        {"kind": "order"},
        name="checkout_cancel_order",
    ),
    path("payments/webhook/<str:currency>/", views.webhook, name="webhook"),
]
