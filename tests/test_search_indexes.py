"""Search against brute force, and the indexes that serve it (core/search.py, issue 11).

Every query of one, two or four Chinese characters or one English word taken from the stored
titles finds exactly the works whose search fields contain it (no miss, no false hit); on
PostgreSQL a longer query without Chinese characters may add near misses, and each of those
is a near miss by pg_trgm's word similarity, never an unrelated row. On PostgreSQL the plans
read the indexes, with sequential scans priced out so that a small test table still shows
which index a plan can use (the figures at 100,000 and 1,000,000 works are in
docs/benchmarks-scale.md).
"""

import random
import re

import pytest
from django.db import connection

from catalog.models import Organisation, Place, Work, WorkOrganisation, WorkPlace
from core.search import FUZZY_THRESHOLD, admits_near_misses
from tests.factories import (
    OrganisationFactory,
    PlaceFactory,
    WorkFactory,
    WorkOrganisationFactory,
    WorkPlaceFactory,
    published_at_the_end,
)

pytestmark = pytest.mark.django_db

POOL = "微短剧去旅行跟着醒狮非遗宁波浙江成都爱情山河家乡茶路之夜春秋"
WORDS = ["river", "lion", "tea", "road", "heritage", "spring", "night", "home", "journey"]


@pytest.fixture
def works():
    rng = random.Random(11)
    with published_at_the_end():
        for n in range(60):
            WorkFactory(
                slug=f"w{n}",
                title=" ".join(rng.choice(WORDS).title() for _ in range(3)),
                title_original="".join(rng.choice(POOL) for _ in range(rng.randint(3, 9))),
                synopsis="".join(rng.choice(POOL) for _ in range(rng.randint(0, 20))),
            )
    return list(Work.objects.all())


def brute_force(works, query):
    query = query.lower()
    return {
        w.slug
        for w in works
        if any(query in (text or "").lower() for text in (w.title, w.title_original, w.synopsis))
    }


def queries(works, rng):
    for length in (1, 2, 4):
        for _ in range(12):
            text = rng.choice(works).title_original
            if len(text) >= length:
                start = rng.randrange(len(text) - length + 1)
                yield text[start : start + length]
    yield from WORDS
    yield "Lion Tea"  # across a space


def test_search_finds_exactly_what_a_scan_finds(works):
    fuzzy = connection.vendor == "postgresql"
    for query in queries(works, random.Random(12)):
        expected = brute_force(works, query)
        found = {w.slug: w for w in Work.objects.search(query)}
        assert expected <= set(found), query
        extra = set(found) - expected
        if len(query) < 3 or not fuzzy or not admits_near_misses(query):
            assert not extra, query
        for slug in extra:  # near misses: close by word similarity, reported as such
            assert found[slug].search_rank >= FUZZY_THRESHOLD, (query, slug)


def test_a_query_that_matches_nothing_finds_nothing(works):
    assert not Work.objects.search("麒麟").exists()
    assert not Work.objects.search("麟").exists()
    assert not Work.objects.search("zebra crossing").exists()


def test_a_work_edited_or_deleted_is_found_by_its_new_title_only(works):
    work = works[0]
    work.title_original = "龙门客栈"
    work.save()
    assert list(Work.objects.search("客栈")) == [work]
    assert list(Work.objects.search("龙门客栈")) == [work]
    work.delete()
    assert not Work.objects.search("龙门客栈").exists()


def test_quotes_and_operators_in_a_query_are_text(works):
    WorkFactory(slug="q", title='The "Lion" AND NEAR OR *')
    assert [w.slug for w in Work.objects.search('"Lion" AND')] == ["q"]
    assert [w.slug for w in Work.objects.search("OR *")] == ["q"]


postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


@postgresql
@pytest.mark.parametrize("query", ["狮", "醒狮"])
def test_one_or_two_characters_read_the_gram_index(works, query):
    text = plan(Work.objects.public().search(query))
    assert "catalog_work_search_grams" in text
    assert "Seq Scan on catalog_work " not in text


@postgresql
@pytest.mark.parametrize(("query", "near_misses"), [("跟着醒狮", False), ("heritage", True)])
def test_longer_queries_read_the_trigram_indexes_and_rank_only_the_candidates(
    works, query, near_misses
):
    text = plan(Work.objects.public().search(query))
    for index in ("catalog_work_title_trgm", "catalog_work_title_original_trgm"):
        assert index in text
    assert "catalog_work_synopsis_trgm" in text
    assert "Seq Scan on catalog_work " not in text
    # A name's substring and near misses are one bitmap OR: its rows are fetched once. A
    # Chinese query looks for its substring alone.
    assert text.count("BitmapOr") == (2 if near_misses else 0)
    assert ("%>" in text) == near_misses


def test_a_chinese_query_finds_the_works_that_contain_it_not_a_character_off():
    """我在宁海 (Ninghai) is three of 我在宁波's (Ningbo) five trigrams away, a near miss by
    pg_trgm's measure, and another place."""
    WorkFactory(slug="ningbo", title="", title_original="我在宁波的日子")
    WorkFactory(slug="ninghai", title="", title_original="我在宁海的日子")
    WorkFactory(slug="tales", title="Tales of Macau")

    assert [w.slug for w in Work.objects.search("我在宁波")] == ["ningbo"]
    assert [w.slug for w in Work.objects.search("宁波的日子")] == ["ningbo"]
    fuzzy = connection.vendor == "postgresql"  # SQLite matches substrings only
    assert [w.slug for w in Work.objects.search("Macao")] == (["tales"] if fuzzy else [])


@postgresql
def test_searches_through_places_and_organisations_read_their_works_from_the_link_indexes(
    works,
):
    """A name that matches places or organisations finds their works through an index on
    (place, work) and (organisation, work), probed by the place or organisation found: at 1M,
    101 organisations whose names hold 茶香 list 20,192 works, which a parallel scan of every
    link found in 95 ms, the index in 9 ms.

    The links are spread over many places and organisations, as in the catalogue. With a
    handful of links, reading a whole index costs about what probing one does, and which
    whole index the planner read turned on how many dead entries earlier tests' rolled-back
    inserts had left in each (CI failed on it twice, with statistics fresh)."""
    others = [
        Place(name=f"Place {n}", slug=f"elsewhere-{n}", kind=Place.Kind.CITY) for n in range(40)
    ]
    companies = [
        Organisation(
            name=f"Company {n}", slug=f"other-company-{n}", kind=Organisation.Kind.PRODUCER
        )
        for n in range(40)
    ]
    Place.objects.bulk_create(others)
    Organisation.objects.bulk_create(companies)
    WorkPlace.objects.bulk_create(
        WorkPlace(work=w, place=p, relation=WorkPlace.Relation.FILMED_AT)
        for w in works
        for p in others
    )
    WorkOrganisation.objects.bulk_create(
        WorkOrganisation(work=w, organisation=o, role=WorkOrganisation.Role.PRODUCER)
        for w in works
        for o in companies
    )
    place = PlaceFactory(name="Tea Hill", name_original="茶香山")
    organisation = OrganisationFactory(name="Tea Fragrance Pictures", name_original="茶香影业")
    for work in works[:3]:
        WorkPlaceFactory(work=work, place=place)
        WorkOrganisationFactory(work=work, organisation=organisation)
    with connection.cursor() as cursor:  # statistics as the rows are, not as autovacuum last saw
        cursor.execute(
            "ANALYZE catalog_place, catalog_organisation, catalog_workplace,"
            " catalog_workorganisation, catalog_work"
        )

    text = plan(Work.objects.public().search("茶香"))

    # Each index is looked up by the place or organisation, not read whole.
    assert re.search(
        r"(on|using) catalog_workplace_work_idx .*\n\s*Index Cond: \(place_id = ", text
    )
    assert re.search(
        r"(on|using) catalog_workorg_org_work_idx .*\n\s*Index Cond: \(organisation_id = ", text
    )
    assert {w.slug for w in Work.objects.public().search("茶香影业")} == {w.slug for w in works[:3]}
