"""Every payment URL (a contract, documented in the README); included at the site root."""

from django.urls import path

from payments import views

app_name = "payments"
urlpatterns = [
    path("order/<int:pk>/payment-intent", views.order_payment_intent, name="order_payment_intent"),
    path("item/<int:pk>/payment-intent", views.item_payment_intent, name="item_payment_intent"),
    path("payments/result/", views.result, name="result"),
    path("payments/webhook/<str:currency>/", views.webhook, name="webhook"),
]
