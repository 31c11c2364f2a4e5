"""The API's filter backend (core.api.filters.CatalogFilterBackend) builds a FilterSet only for
a request that names one of its filters, and a filter given to a record still applies."""

import pytest
from django import forms

from public.api.urls import router
from public.filters import WorkFilterSet
from tests.factories import ThemeFactory, WorkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def filtersets_built(monkeypatch):
    built = []
    original = WorkFilterSet.__init__

    def init(self, *args, **kwargs):
        built.append(kwargs.get("data"))
        original(self, *args, **kwargs)

    monkeypatch.setattr(WorkFilterSet, "__init__", init)
    return built


def test_unfiltered_list_and_record_build_no_filterset(api, filtersets_built):
    work = WorkFactory()

    assert api.get("/api/v1/works/", {"page_size": 5}).status_code == 200
    assert api.get(f"/api/v1/works/{work.slug}/").status_code == 200
    assert filtersets_built == []

    assert api.get("/api/v1/works/", {"q": work.title}).json()["count"] == 1
    assert len(filtersets_built) == 1


def test_a_record_asked_with_a_filter_it_fails_is_not_found(api):
    """As in DRF, a record's address takes the list's filters: the backend's shortcut keeps
    that for any request that names a filter."""
    listed, other = ThemeFactory(), ThemeFactory()
    work = WorkFactory()
    work.themes.add(listed)

    assert api.get(f"/api/v1/works/{work.slug}/", {"theme": listed.slug}).status_code == 200
    assert api.get(f"/api/v1/works/{work.slug}/", {"theme": other.slug}).status_code == 404
    answer = api.get(f"/api/v1/works/{work.slug}/", {"theme": "no-such-theme"})
    assert answer.status_code == 400
    assert "theme" in answer.json()["errors"]


def test_every_api_filter_reads_the_parameter_of_its_own_name():
    """The backend looks for the filters' names among the parameters: a filter read from
    several parameters (a MultiWidget's `year_min`, `year_max`) would be missed."""
    checked = 0
    for _prefix, viewset, _basename in router.registry:
        filterset = viewset.filterset_class()
        for name, field in filterset.form.fields.items():
            assert not isinstance(field.widget, forms.MultiWidget), (viewset.__name__, name)
            checked += 1
    assert checked > 40
