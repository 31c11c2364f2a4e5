"""Top-level URLs: the public site and the admin (translated under /zh-hans/), the API."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from public.sitemaps import sitemaps
from public.views.robots import robots_txt

urlpatterns = [
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("api/", include("public.api.urls", namespace="api")),
    path("robots.txt", robots_txt, name="robots_txt"),
]

# The admin in both languages too: /admin/ in English, /zh-hans/admin/ in Chinese for
# Chinese-speaking editors (an address without a prefix is always English).
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("public.urls")),
    prefix_default_language=False,
)

# Error pages in the site's layout, or JSON under /api/.
handler400 = "public.views.errors.bad_request"
handler403 = "public.views.errors.permission_denied"
handler404 = "public.views.errors.page_not_found"
handler500 = "public.views.errors.server_error"
