"""The API hands its query parameters to the shared FilterSets (whose meaning
tests/public/test_filtersets.py pins): one request per list endpoint proves the wiring, and
that a list filters only what the public may see."""

import pytest

from catalog.models import Place
from initiatives.models import Batch
from tests.factories import (
    BatchFactory,
    FigureFactory,
    InitiativeFactory,
    OrganisationFactory,
    PlaceFactory,
    RecommendationFactory,
    ThemeFactory,
    WorkFactory,
)

pytestmark = pytest.mark.django_db


def slugs(api, path, params=None):
    response = api.get(path, params or {})
    assert response.status_code == 200, response.content
    return sorted(item["slug"] for item in response.json()["results"])


def test_works_endpoint_filters_through_the_work_filterset(api):
    heritage = ThemeFactory(slug="heritage")
    WorkFactory(slug="tea", title="The Tea Road", title_original="茶路", themes=[heritage])
    WorkFactory(slug="travel", title="Travel", themes=[heritage])
    WorkFactory(slug="other")

    assert slugs(api, "/api/v1/works/", {"theme": "heritage"}) == ["tea", "travel"]
    assert slugs(api, "/api/v1/works/", {"theme": "heritage", "q": "茶"}) == ["tea"]


def test_themes_endpoint_filters_through_the_theme_filterset(api):
    ThemeFactory(slug="heritage", name="Intangible heritage", name_original="非遗")
    ThemeFactory(slug="rural", name="Rural")

    assert slugs(api, "/api/v1/themes/", {"q": "非"}) == ["heritage"]


def test_places_endpoint_filters_through_the_place_filterset(api):
    fujian = PlaceFactory(slug="fujian", kind=Place.Kind.PROVINCE)
    PlaceFactory(slug="xiamen", parent=fujian)

    assert slugs(api, "/api/v1/places/", {"kind": "province"}) == ["fujian"]


def test_organisations_endpoint_filters_through_the_organisation_filterset(api):
    OrganisationFactory(slug="douyin", name="Douyin")
    OrganisationFactory(slug="nrta", name="NRTA")

    OrganisationFactory(slug="xiamen-studio", place=PlaceFactory(slug="xiamen"))

    assert slugs(api, "/api/v1/organisations/", {"q": "dou"}) == ["douyin"]
    assert slugs(api, "/api/v1/organisations/", {"place": "xiamen"}) == ["xiamen-studio"]
    assert api.get("/api/v1/organisations/", {"place": "atlantis"}).status_code == 400


def test_initiatives_endpoint_filters_through_the_initiative_filterset(api):
    InitiativeFactory(slug="travel", name="Travel with Micro-Dramas")
    InitiativeFactory(slug="brand", name="Brand Through Micro-Drama")

    assert slugs(api, "/api/v1/initiatives/", {"q": "travel"}) == ["travel"]


def test_batches_endpoint_filters_through_the_batch_filterset_and_never_shows_a_draft(api):
    travel = InitiativeFactory(slug="travel")
    BatchFactory(initiative=travel, number=4)
    BatchFactory(initiative=travel, number=5, status=Batch.Status.DRAFT)
    BatchFactory(initiative__slug="brand", number=1)

    assert slugs(api, "/api/v1/batches/", {"initiative": "travel"}) == ["travel-4"]
    assert slugs(api, "/api/v1/batches/") == ["brand-1", "travel-4"]


def test_figures_endpoint_filters_through_the_figure_filterset(api):
    travel = InitiativeFactory(slug="travel")
    mine = FigureFactory(initiative=travel)
    FigureFactory(initiative=InitiativeFactory(slug="brand"))

    assert slugs(api, "/api/v1/figures/", {"initiative": "travel"}) == [mine.slug]


def test_a_listed_work_appears_only_once_its_batch_is_public(api):
    RecommendationFactory(work=WorkFactory(slug="listed"), batch__status=Batch.Status.DRAFT)

    assert slugs(api, "/api/v1/works/") == []
