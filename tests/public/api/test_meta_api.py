"""Every public model has an endpoint, and the API's URLs round-trip through reverse/resolve."""

import pytest
from django.urls import resolve, reverse

from catalog.models import Organisation, Place, Theme, Work
from initiatives.models import Batch, Figure, Initiative
from public.api.views import (
    BatchViewSet,
    FigureViewSet,
    InitiativeViewSet,
    OrganisationViewSet,
    PlaceViewSet,
    ThemeViewSet,
    WorkViewSet,
)

PUBLIC = {
    "work": (Work, WorkViewSet),
    "theme": (Theme, ThemeViewSet),
    "initiative": (Initiative, InitiativeViewSet),
    "batch": (Batch, BatchViewSet),
    "place": (Place, PlaceViewSet),
    "organisation": (Organisation, OrganisationViewSet),
    "figure": (Figure, FigureViewSet),
}


@pytest.mark.parametrize("basename", PUBLIC)
def test_every_public_model_has_a_list_and_a_detail_by_slug(basename):
    model, viewset = PUBLIC[basename]
    list_url = reverse(f"api:{basename}-list")
    detail_url = reverse(f"api:{basename}-detail", kwargs={"slug": "some-slug"})

    assert list_url == f"/api/v1/{model._meta.verbose_name_plural}/".replace(" ", "-")
    assert detail_url == f"{list_url}some-slug/"
    assert resolve(list_url).func.cls is viewset
    assert resolve(detail_url).kwargs == {"slug": "some-slug"}
    assert viewset.serializer_class.Meta.model is model
    assert viewset.filterset_class._meta.model is model
    assert viewset.__doc__


def test_the_schema_and_docs_have_named_urls():
    assert reverse("api:schema") == "/api/schema/"
    assert reverse("api:docs") == "/api/docs/"
    assert reverse("api:redoc") == "/api/redoc/"


@pytest.mark.django_db
def test_the_api_root_lists_every_endpoint(api):
    body = api.get("/api/v1/").json()

    assert sorted(body) == sorted(f"{m._meta.verbose_name_plural}" for m, _ in PUBLIC.values())


@pytest.mark.django_db
def test_the_interactive_docs_load_their_assets_from_the_site_not_a_cdn(api):
    html = api.get("/api/docs/").content.decode()

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    # The start-up script is a file of its own (the CSP allows no inline script).
    assert "/api/schema/" in api.get("/api/docs/?script=").content.decode()
