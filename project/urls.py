from django.contrib import admin
from django.urls import include, path

from project.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("payments.urls")),
    path("", include("catalog.urls")),
]
