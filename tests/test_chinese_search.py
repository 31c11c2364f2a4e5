"""Chinese search over the real data sets, against a brute-force scan of the same records.

Two scans. The first covers the fields the works search reads (titles and synopsis): the
search must miss none of those matches, for one- and two-character queries too, on SQLite
and PostgreSQL. The second is what a visitor expects (issue 12): a work also matches through
its places (and the places they lie in), its organisations, its themes and its other title
renderings (core.search reads them through `Work.search_related`).
"""

import pytest

from catalog.models import Work

pytestmark = pytest.mark.django_db

QUERIES = ["宁波", "非遗", "浙江", "抖音", "爱", "成都"]


def contains(texts, query: str) -> bool:
    return any(query.lower() in (text or "").lower() for text in texts)


def scan_search_fields(query: str) -> set[str]:
    return {
        work.slug
        for work in Work.objects.public()
        if contains([work.title, work.title_original, work.synopsis], query)
    }


def scan_as_a_visitor(query: str) -> set[str]:
    found = set()
    works = Work.objects.public().prefetch_related(
        "titles",
        "themes",
        "place_links__place__parent__parent__parent",
        "organisation_links__organisation",
    )
    for work in works:
        texts = [work.title, work.title_original, work.synopsis]
        texts += [t.title for t in work.titles.all()]
        texts += [name for t in work.themes.all() for name in (t.name, t.name_original)]
        for link in work.place_links.all():
            place = link.place
            while place is not None:
                texts += [place.name, place.name_original]
                place = place.parent
        for link in work.organisation_links.all():
            texts += [link.organisation.name, link.organisation.name_original]
        if contains(texts, query):
            found.add(work.slug)
    return found


def api_search(client, query: str) -> set[str]:
    body = client.get("/api/v1/works/", {"q": query, "page_size": 100}).json()
    assert body["count"] <= 100
    return {work["slug"] for work in body["results"]}


def page_search(client, query: str) -> set[str]:
    response = client.get("/search/", {"q": query})
    works = next(group for group in response.context["results"] if group["key"] == "works")
    assert not works["more"]
    return {work.slug for work in works["rows"]}


@pytest.mark.parametrize("query", QUERIES)
def test_search_misses_no_work_whose_titles_or_synopsis_contain_the_query(
    catalog_data, client, query
):
    expected = scan_search_fields(query)
    # Near misses (PostgreSQL: three characters and more, without Chinese characters) may add
    # works; none may be missing.
    assert expected <= api_search(client, query)
    assert expected <= page_search(client, query)


def test_one_character_finds_every_work_that_holds_it_and_no_other(catalog_data, client):
    assert len(scan_search_fields("爱")) >= 4
    assert api_search(client, "爱") == scan_as_a_visitor("爱")


@pytest.mark.parametrize("query", ["宁波", "非遗", "浙江", "抖音"])
def test_search_finds_works_by_their_places_organisations_themes_and_renderings(
    catalog_data, client, query
):
    expected = scan_as_a_visitor(query)
    assert expected - scan_search_fields(query), "the query names no place, theme or producer"
    # One and two characters match exactly: no near misses either.
    assert api_search(client, query) == expected
    assert page_search(client, query) == expected
