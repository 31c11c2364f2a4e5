"""The API viewsets build their querysets once per class (core.api.viewsets.
CatalogReadOnlyViewSet.base_queryset) and read the database afresh on every request."""

import pytest

from public.api.views import WorkViewSet
from tests.factories import RecommendationFactory, WorkFactory

pytestmark = pytest.mark.django_db


def test_the_works_queryset_is_built_once_and_its_rows_read_on_every_request(
    api, settings, monkeypatch
):
    settings.API_CACHE_SECONDS = 0
    first = WorkFactory(title="A first work")
    assert api.get("/api/v1/works/").json()["count"] == 1
    built = []
    original = WorkViewSet.build_queryset

    def build_queryset(cls):
        built.append(cls)
        return original()

    monkeypatch.setattr(WorkViewSet, "build_queryset", classmethod(build_queryset))

    RecommendationFactory(work__title="A second work")
    listing = api.get("/api/v1/works/").json()
    assert [work["title"] for work in listing["results"]] == ["A first work", "A second work"]
    assert listing["results"][1]["recommendations"], "its listing, prefetched afresh"
    assert api.get(f"/api/v1/works/{first.slug}/").json()["title"] == "A first work"
    assert built == []
    assert WorkViewSet.base_queryset()._result_cache is None
