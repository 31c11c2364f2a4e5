"""A search within a list that holds few records without it tests each of them, rather than
gathering every match in the catalog (core/pagination.py: `searched_within`; public/facets.py;
issue 11).

"village" among one organisation's works at 1M gathered all 191,010 matches of "village" to
keep 41 (0.7 s), and the works page did it again for each facet it counted (7.3 s a page).
These tests hold the page, the count and the facets so read to brute force and to the gathered
read, on SQLite and on PostgreSQL.
"""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from catalog.models import Work
from core import pagination
from core.search import text_search
from public.facets import facet_counts
from public.filters import WorkFilterSet
from tests.factories import (
    OrganisationFactory,
    PlaceFactory,
    ThemeFactory,
    WorkFactory,
    WorkOrganisationFactory,
    WorkPlaceFactory,
    published_at_the_end,
)
from tests.search_pages import read_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def guild():
    """40 works in title order, 32 of which hold "village" (16 in the title, 8 in the
    synopsis, 8 at a place of that name); the guild produced the first 8, of which 7 hold it,
    and a draft that holds it too. Each work's theme is "a" or "b"."""
    organisation = OrganisationFactory(slug="guild", name="The Guild")
    square = PlaceFactory(slug="square", name="Village Square", name_original="村口")
    themes = [ThemeFactory(slug="a", name="Theme A"), ThemeFactory(slug="b", name="Theme B")]
    with published_at_the_end():
        for n in range(40):
            kind = n % 5
            title = "The Quiet Village" if kind in (0, 1) else "Harbour"
            synopsis = "A village story." if kind == 2 else "Elsewhere."
            work = WorkFactory(slug=f"w{n:02}", title=f"{title} {n:02}", synopsis=synopsis)
            work.themes.add(themes[n % 2])
            if kind == 3:
                WorkPlaceFactory(work=work, place=square)
            if n < 8:
                WorkOrganisationFactory(work=work, organisation=organisation)
        draft = WorkFactory(slug="draft", title="A Village Draft", published_directly=False)
        WorkOrganisationFactory(work=draft, organisation=organisation)
    return organisation


def brute_force(query="village"):
    """The public works of the guild that hold `query` in a title, the synopsis or a place's
    name, in the list's order, each with its theme."""
    found = []
    for work in Work.objects.public().filter(organisations__slug="guild").order_by("title"):
        texts = [work.title, work.synopsis, *(p.name for p in work.places.all())]
        if any(query in text.lower() for text in texts):
            found.append((work.slug, work.themes.get().slug))
    return found


def guild_searched():
    works = Work.objects.public().filter(organisation_links__organisation__slug="guild")
    return text_search(works.order_by(*Work._meta.ordering, "pk"), "village")


def test_a_search_among_few_works_is_read_row_by_row_as_brute_force_and_the_gather_find(guild):
    expected = [slug for slug, _theme in brute_force()]
    assert len(expected) == 7
    assert Work.objects.public().filter(title__icontains="village").count() == 16
    slugs, counted, queries = read_page(guild_searched(), 1, per_page=20, bound=10, within=10)
    # The guild holds 8 public works, no more than 10: each is tested.
    assert sorted(slugs) == sorted(expected)
    assert counted == (7, False)
    assert "draft" not in slugs
    assert not any("UNION" in sql for sql in queries)
    # The gathered read finds the same page, in the same order, with the same count.
    gathered, gathered_count, gathered_queries = read_page(
        guild_searched(), 1, per_page=20, bound=10, within=0
    )
    assert gathered == slugs
    assert gathered_count == counted
    assert "UNION" in gathered_queries[-1]


def test_a_search_among_more_works_than_rowwise_within_is_gathered(guild):
    # The guild's 8 works are more than 7: its 7 matches are gathered.
    slugs, counted, queries = read_page(guild_searched(), 1, per_page=20, bound=10, within=7)
    assert counted == (7, False)
    assert sorted(slugs) == sorted(slug for slug, _theme in brute_force())
    assert "UNION" in queries[-1]


def test_the_count_of_a_search_among_few_works_stops_at_the_bound(guild):
    # 8 works tested, 7 matches, a bound of 6: the count is capped, the page ends at it.
    slugs, counted, queries = read_page(guild_searched(), 1, per_page=20, bound=6, within=10)
    assert counted == (6, True)
    assert len(slugs) == 6
    assert set(slugs) <= {slug for slug, _theme in brute_force()}
    assert not any("UNION" in sql for sql in queries)


def test_the_api_reads_a_search_among_few_works_row_by_row(guild, monkeypatch):
    monkeypatch.setattr(pagination.CappedPaginator, "bound", 10)
    monkeypatch.setattr(pagination, "ROWWISE_WITHIN", 10)
    client = APIClient()
    with CaptureQueriesContext(connection) as queries:
        body = client.get(
            "/api/v1/works/", {"q": "village", "organisation": "guild", "page_size": 3}
        ).json()
    assert body["count"] == 7
    assert body["count_is_capped"] is False
    assert {work["slug"] for work in body["results"]} <= {s for s, _ in brute_force()}
    assert not any("UNION" in q["sql"] for q in queries)


def test_facets_of_a_search_among_few_works_read_the_search_once(guild, monkeypatch):
    from public import facets

    monkeypatch.setattr(facets, "FACET_BOUND", 10)
    monkeypatch.setattr(pagination, "ROWWISE_WITHIN", 10)
    data = QueryDict("q=village&organisation=guild")
    filterset = WorkFilterSet(data=data, queryset=Work.objects.public())
    assert filterset.is_valid(), filterset.errors
    with CaptureQueriesContext(connection) as queries:
        counts = facet_counts(filterset, ["theme", "place", "organisation"])
    by_theme = {}
    for _slug, theme in brute_force():
        by_theme[theme] = by_theme.get(theme, 0) + 1
    assert counts["theme"] == by_theme
    assert counts["place"] == {"square": 1}
    # Without its own filter the organisation facet counts the 32 works holding "village" in
    # the whole catalog, past the bound: left out.
    assert "organisation" not in counts
    # The guild's works were searched once, row by row, and no facet gathered the search
    # again. On SQLite the organisation facet's catalog-wide search is gathered to be found
    # past the bound; PostgreSQL knows it from the title words' index.
    # (The places' tree is read with a recursive UNION of its own.)
    gathered = [q["sql"] for q in queries if "UNION" in q["sql"] and "RECURSIVE" not in q["sql"]]
    assert len(gathered) == (0 if connection.vendor == "postgresql" else 1)
