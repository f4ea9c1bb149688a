from django.contrib import admin
from django.urls import include, path

from project.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # The catalog first: its pages are the most requested (none of their paths is a payments one).
    path("", include("catalog.urls")),
    path("", include("payments.urls")),
]
