"""Works' related rows kept per work and public state (public/api/kept_rows.py): the same
answers as the list's query writes, one query a page once kept, and retired by anything
public that changes them: a withdrawn listing or a renamed theme never shows from a kept
entry."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Work
from core import publication
from core.models import PublicState
from initiatives.models import Batch
from initiatives.services import batch_unpublish
from public.api import kept_rows
from tests.factories import (
    BatchFactory,
    RecommendationFactory,
    ThemeFactory,
    UserFactory,
    WorkFactory,
    WorkOrganisationFactory,
    WorkPlaceFactory,
)

pytestmark = pytest.mark.django_db

RELATED = ("catalog_theme", "catalog_worktitle", "catalog_workplace", "initiatives_recommendation")


@pytest.fixture
def kept(settings):
    settings.API_CACHE_SECONDS = 0  # the answers themselves are built every time
    settings.API_ROWS_CACHE_SECONDS = 600


def reads_related_rows(queries) -> bool:
    sql = " ".join(q["sql"] for q in queries)
    return any(table in sql for table in RELATED)


@pytest.fixture
def listed():
    """Two works with a theme, a place, an organisation, and listings in two batches."""
    theme = ThemeFactory(slug="heritage", name="Heritage")
    works = [WorkFactory(slug=f"w{n}", title=f"Work {n}") for n in range(2)]
    first, second = BatchFactory(number=1), BatchFactory(number=2)
    for work in works:
        work.themes.add(theme)
        WorkPlaceFactory(work=work)
        WorkOrganisationFactory(work=work)
        RecommendationFactory(work=work, batch=first, theme=theme)
        RecommendationFactory(work=work, batch=second)
    publication.refresh()
    return {"works": works, "theme": theme, "batches": (first, second)}


def test_kept_rows_answer_what_the_query_writes(api, catalog_data, settings):
    """Every work of the catalog `make run` loads, in a list, a search, a cursor page and
    its own record: byte for byte the answer the list's query gives, read cold and kept."""
    settings.API_CACHE_SECONDS = 0
    slugs = list(Work.objects.public().values_list("slug", flat=True)[:40])
    paths = [
        "/api/v1/works/?page_size=100",
        "/api/v1/works/?page_size=50&page=2",
        "/api/v1/works/?mode=cursor&page_size=30",
        "/api/v1/works/?q=%E6%97%85",  # 旅
        *(f"/api/v1/works/{slug}/" for slug in slugs),
    ]

    def answers():
        responses = [api.get(path) for path in paths]
        assert [r.status_code for r in responses] == [200] * len(paths)
        return [r.content for r in responses]

    settings.API_ROWS_CACHE_SECONDS = 0
    written = answers()
    settings.API_ROWS_CACHE_SECONDS = 600
    cache.clear()
    assert answers() == written  # read and kept
    assert answers() == written  # from the cache
    assert all(b'"themes":[' in answer for answer in written)


def test_a_page_reads_its_rows_once_per_public_state(api, listed, kept, settings):
    """Read in one query beside the page's when first met, then from the cache: the page's
    queries are the list's without its six correlated subqueries."""
    settings.API_ROWS_CACHE_SECONDS = 0
    api.get("/api/v1/works/")  # the public state and the list's count, kept from here on
    with CaptureQueriesContext(connection) as written:
        expected = api.get("/api/v1/works/")
    settings.API_ROWS_CACHE_SECONDS = 600
    with CaptureQueriesContext(connection) as cold:
        first = api.get("/api/v1/works/")
    assert reads_related_rows(cold)
    with CaptureQueriesContext(connection) as warm:
        again = api.get("/api/v1/works/")
    assert first.content == again.content == expected.content
    assert not reads_related_rows(warm)
    assert len(cold) == len(written) + 1
    assert len(warm) == len(written)
    # Its records share the entries: a work's detail reads no related row either.
    with CaptureQueriesContext(connection) as detail:
        assert api.get("/api/v1/works/w0/").json()["themes"][0]["slug"] == "heritage"
    assert not reads_related_rows(detail)


def test_a_withdrawn_listing_never_shows_from_a_kept_entry(api, listed, kept):
    first, second = listed["batches"]
    before = api.get("/api/v1/works/w0/").json()
    assert [r["batch"]["slug"] for r in before["recommendations"]] == [first.slug, second.slug]
    api.get("/api/v1/works/")  # both works' rows kept
    batch_unpublish(batch=second, user=UserFactory())
    assert Batch.objects.get(pk=second.pk).status == Batch.Status.DRAFT
    for answer in (api.get("/api/v1/works/w0/").json(), api.get("/api/v1/works/").json()):
        text = str(answer)
        assert second.slug not in text
        assert first.slug in text


def test_a_renamed_theme_shows_its_new_name(api, listed, kept):
    api.get("/api/v1/works/")
    theme = listed["theme"]
    before = publication.touched_by(theme)
    theme.name = "Cultural Heritage"
    theme.save()
    publication.record_changed(theme, before=before, was_public=True)  # as the admin saves
    names = {t["name"] for w in api.get("/api/v1/works/").json()["results"] for t in w["themes"]}
    assert names == {"Cultural Heritage"}


def test_without_a_cache_every_page_reads_its_rows(api, listed, kept, monkeypatch):
    """A cache that keeps nothing (Redis down answers as an empty one: core.cache): the page
    is whole, its rows read in a second query every time."""
    monkeypatch.setattr(cache, "get_many", lambda keys, *args, **kwargs: {})
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/works/")
        assert response.status_code == 200
        assert [len(w["recommendations"]) for w in response.json()["results"]] == [2, 2]
        assert reads_related_rows(queries)


def test_a_work_gone_since_its_page_was_read_shows_no_rows_and_keeps_none(listed, kept):
    work = Work.objects.get(slug="w0")
    gone = WorkFactory(slug="gone", title="Gone")  # published on its own, listed nowhere
    gone.themes.add(listed["theme"])
    Work.objects.filter(pk=gone.pk).delete()  # after the page read it, before its rows
    kept_rows.attach([work, gone])
    assert [t["slug"] for t in work.theme_rows] == ["heritage"]
    assert list(gone.theme_rows) == []
    assert list(gone.recommendation_rows) == []
    state = "{}:{}".format(*PublicState.cached())
    assert cache.get(f"work-rows:{state}:{work.pk}") is not None
    assert cache.get(f"work-rows:{state}:{gone.pk}") is None
