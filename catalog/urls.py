from django.urls import path

from catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("item/<int:pk>", views.item_detail, name="item_detail"),
    path("order/<int:pk>", views.order_detail, name="order_detail"),
    path("pay/<str:token>", views.payment_link, name="payment_link"),
    path("cart/", views.cart_detail, name="cart_detail"),
    path("cart/add/<int:pk>", views.cart_add, name="cart_add"),
    path("cart/update/<int:pk>", views.cart_update, name="cart_update"),
    path("cart/remove/<int:pk>", views.cart_remove, name="cart_remove"),
    path("cart/order", views.place_order, name="place_order"),
]
