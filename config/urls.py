"""Top-level URLs: the public site and the admin (translated under /zh-hans/), the API."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from public.sitemaps import sitemap_page, sitemaps
from public.views.robots import robots_txt

urlpatterns = [
    # An index of sections, each in pages of at most SITEMAP_PAGE records (the protocol
    # allows 50,000 addresses a file): one sitemap of 1M works was 26 MB and took 33 s.
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_page,
        {"sitemaps": sitemaps},
        name="sitemap-section",
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
