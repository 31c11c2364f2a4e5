"""Top-level URLs: the public site (translated under /zh-hans/), the admin, the API."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls", namespace="api")),
]

urlpatterns += i18n_patterns(
    path("", include("initiatives.urls")),
    path("", include("catalog.urls")),
    prefix_default_language=False,
)
