from django.urls import path

from bench.floor import views

urlpatterns = [
    path("healthz", views.healthz),
    path("item/<int:pk>", views.item_detail),
    path("intent", views.payment_intent),
    path("order/<int:pk>/intent", views.locked_payment_intent),
    path("webhook", views.webhook),
]
