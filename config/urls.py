"""Top-level URLs: the public site (translated under /zh-hans/), the admin, the API."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from public.sitemaps import sitemaps
from public.views.robots import robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("api/", include("public.api.urls", namespace="api")),
    path("robots.txt", robots_txt, name="robots_txt"),
]

urlpatterns += i18n_patterns(
    path("", include("public.urls")),
    prefix_default_language=False,
)

# Error pages in the site's layout, or JSON under /api/.
handler400 = "public.views.errors.bad_request"
handler403 = "public.views.errors.permission_denied"
handler404 = "public.views.errors.page_not_found"
handler500 = "public.views.errors.server_error"
