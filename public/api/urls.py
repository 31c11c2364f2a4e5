"""The partner API under /api/: version 1 of the endpoints, its OpenAPI schema and the
interactive docs (Swagger UI and Redoc, served from static files by drf-spectacular-sidecar).

Included from config/urls.py with the namespace "api": `reverse("api:work-detail", ...)`.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.exceptions import NotFound
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from . import views

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False  # `?format=csv`, not `.csv` suffixes
router.register("works", views.WorkViewSet, basename="work")
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("initiatives", views.InitiativeViewSet, basename="initiative")
router.register("batches", views.BatchViewSet, basename="batch")
router.register("places", views.PlaceViewSet, basename="place")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("figures", views.FigureViewSet, basename="figure")


class NotFoundView(APIView):
    """Any other address under /api/: a JSON 404 rather than the site's HTML page."""

    schema = None  # not an endpoint

    def get(self, request, *args, **kwargs):
        raise NotFound()

    post = put = patch = delete = get


urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Redoc builds its styles in the browser (styled-components writes <style> elements),
    # so this one page allows inline styles, and its search runs in a blob: worker; its
    # scripts stay as strict as everywhere else.
    path(
        "redoc/",
        csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
            SpectacularRedocView.as_view(url_name="api:schema")
        ),
        name="redoc",
    ),
    re_path(r"^.*$", NotFoundView.as_view()),
]
