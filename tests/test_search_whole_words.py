"""A search's whole-word matches rank first, and a page of them is read along the words' index
(core/search.py: WHOLE_WORDS_RANK; core/pagination.py: `CappedPaginator.read_words`; the
table `catalog_work_word`, kept by PostgreSQL's triggers; issue 11).

"village" at 1M works finds 191,010 of them; each was ranked by word similarity before the page
was cut (1.9 s). Works whose titles hold the query's words whole now come first, in the list's
order, which one range of that table's index reads. These tests hold the triggers to the titles,
the rank to brute force, and the page so read to the page the gathered matches give.
PostgreSQL only: SQLite's search does not rank.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Work
from core.pagination import CappedPaginator
from core.search import BEGUN_WORDS_RANK, WHOLE_WORDS_RANK, text_search, whole_words
from public.views import catalog as catalog_views
from tests.factories import WorkFactory, published_at_the_end
from tests.search_pages import POSTGRESQL_ONLY, api_page, read_page

pytestmark = [pytest.mark.django_db, POSTGRESQL_ONLY, pytest.mark.usefixtures("short_span")]


def words_of(work) -> dict[str, tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, sort_key, season FROM catalog_work_word WHERE work_id = %s", [work.pk]
        )
        return {word: (key, season) for word, key, season in cursor.fetchall()}


def test_a_works_words_follow_its_titles_through_every_kind_of_write():
    work = WorkFactory(title="The Tea-Road's End", title_original="茶路 第二季")
    key = ("The Tea-Road's End", None)
    assert words_of(work) == dict.fromkeys(
        ["the", "tea", "road", "s", "end", "茶路", "第二季"], key
    )

    work.synopsis = "Nothing the words hold."
    work.save()
    assert set(words_of(work)) == {"the", "tea", "road", "s", "end", "茶路", "第二季"}

    work.title, work.season = "Silk Road", 2
    work.save()
    assert words_of(work) == dict.fromkeys(["silk", "road", "茶路", "第二季"], ("Silk Road", 2))

    Work.objects.filter(pk=work.pk).update(title="", title_original="茶路")  # a bulk update
    assert words_of(work) == {"茶路": ("茶路", 2)}  # known by its Chinese title only

    other = WorkFactory(title="Lantern Night")
    work.delete()
    assert words_of(work) == {}
    assert set(words_of(other)) == {"lantern", "night"}


def test_only_a_query_in_plain_latin_letters_and_digits_has_whole_words():
    assert whole_words("Tea-Road 2") == ["tea", "road", "2"]
    assert whole_words("茶路之旅") == []  # Chinese: no spaces between its words
    assert whole_words("café") == []


@pytest.fixture
def villages():
    """40 works in title order, of which 20 hold "village" whole in their titles (in two
    ways), 10 as part of a word and 10 in the synopsis only; and a draft that would come
    first among them."""
    with published_at_the_end():
        for n in range(40):
            kind = n % 4
            title = ["The Quiet Village", "Villagers", "Work", "VILLAGE-ROAD"][kind]
            synopsis = "A village story." if kind == 2 else "Elsewhere."
            WorkFactory(slug=f"w{n:02}", title=f"{title} {n:02}", synopsis=synopsis)
        WorkFactory(slug="draft", title="A Village Draft", published_directly=False)


def whole_word_works(*words, begun=False) -> list[str]:
    """Brute force: the public works whose title holds `words` whole, in order, in the list's
    order; with `begun`, the last word only begun, and not the works holding them whole."""

    def holds(title, at):
        *before, last = words
        held = title[at : at + len(words)]
        if len(held) < len(words) or held[:-1] != before:
            return False
        return held[-1].startswith(last) if begun else held[-1] == last

    found = []
    for work in Work.objects.public().order_by(*Work._meta.ordering, "pk"):
        title = whole_words(work.title)
        if any(holds(title, at) for at in range(len(title))):
            found.append(work.slug)
    return [slug for slug in found if slug not in whole_word_works(*words)] if begun else found


def searched(query="village"):
    return text_search(Work.objects.public().order_by(*Work._meta.ordering, "pk"), query)


def read(number, query="village", bound=10, per_page=3, words=True, queryset=None):
    queryset = searched(query) if queryset is None else queryset
    without = None if words else "read_words"
    return read_page(queryset, number, per_page=per_page, bound=bound, without=without)


def test_whole_words_rank_first_in_the_lists_order(villages):
    works = list(searched())
    whole = whole_word_works("village")
    assert len(whole) == 20
    assert [w.slug for w in works[:20]] == whole
    assert {w.search_rank for w in works[:20]} == {WHOLE_WORDS_RANK}
    # Then "Villagers", holding a word that "village" begins, in the list's order too; then
    # the synopses.
    assert [w.slug for w in works[20:30]] == [f"w{n:02}" for n in range(1, 40, 4)]
    assert {w.search_rank for w in works[20:30]} == {BEGUN_WORDS_RANK}
    assert all(w.search_rank < 1 for w in works[30:])
    assert not Work.objects.get(slug="draft").is_public
    assert "draft" not in {w.slug for w in works}


def test_a_phrase_of_whole_words_ranks_above_the_same_words_in_another_order():
    # pg_trgm finds "tea road" whole in both (word similarity 1); by title, "Road Tea House"
    # came first.
    WorkFactory(slug="reversed", title="Road Tea House")
    WorkFactory(slug="phrase", title="The Tea Road")
    WorkFactory(slug="plural", title="Tea Roads")
    # "Tea Roads" holds the phrase with its last word begun: next, above the words reversed.
    assert [w.slug for w in searched("tea road")] == ["phrase", "plural", "reversed"]


def test_the_page_read_along_the_words_is_the_gathered_page_and_brute_force(villages):
    expected = whole_word_works("village")
    for number in (1, 2, 3):
        slugs, counted, queries = read(number)
        gathered, gathered_count, _ = read(number, words=False)
        assert slugs == gathered == expected[(number - 1) * 3 : number * 3]
        assert counted == gathered_count == (10, True)
        # Three queries: whether the list holds few works without its search (no), the
        # whole-word rank's count (20, past the bound), then the page; no UNION of the
        # search's branches, nothing ranked by word similarity.
        assert len(queries) == 3
        assert all("catalog_work_word" in sql for sql in queries[1:])
        assert not any("UNION" in sql for sql in queries)


def test_a_phrase_is_read_along_its_longest_word(villages):
    expected = whole_word_works("quiet", "village")
    assert len(expected) == 10
    for number in (1, 2):
        slugs, counted, queries = read(number, "quiet village", bound=5, per_page=2)
        assert slugs == expected[(number - 1) * 2 : number * 2]
        assert counted == (5, True)
        assert not any("UNION" in sql for sql in queries)


def test_the_last_page_read_along_the_words_ends_at_the_bound(villages):
    slugs, counted, _ = read(4)
    assert (slugs, counted) == (whole_word_works("village")[9:10], (10, True))


def test_a_rank_under_the_bound_is_read_from_the_gathered_matches(villages):
    # 20 whole-word works, 40 matches in all: the page and its exact count come from the
    # gathered matches, past the whole-word works too.
    slugs, counted, queries = read(8, bound=100)
    assert counted == (40, False)
    assert slugs == [f"w{n:02}" for n in (5, 9, 13)]  # "Villagers", after the 20 and w01
    assert "UNION" in queries[-1]


def test_the_api_serves_the_page_read_along_the_words(client, villages):
    slugs, counted, queries = api_page(client, "Village", 2)
    assert slugs == whole_word_works("village")[3:6]
    assert counted == (10, True)
    assert not any("UNION" in sql for sql in queries)


def test_the_search_page_serves_the_works_read_along_the_words(client, villages, monkeypatch):
    # The search page's works are the first page of the works list searched: "village" at 1M
    # ranked all 191,010 matches for its first 21 (3 s a page).
    monkeypatch.setattr(CappedPaginator, "bound", 10)
    monkeypatch.setattr(catalog_views, "SEARCH_LIMIT", 3)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "Village"})
    works = next(group for group in response.context["results"] if group["key"] == "works")
    assert [work.slug for work in works["rows"]] == whole_word_works("village")[:3]
    assert works["more"]
    works_sql = [q["sql"] for q in queries if 'FROM "catalog_work"' in q["sql"]]
    assert works_sql
    assert not any("UNION" in sql for sql in works_sql)
    assert "All matching works" in response.content.decode()


def test_a_last_word_only_begun_ranks_its_works_first_in_the_lists_order(villages):
    # "villag", typed so far: no title holds it whole, 30 hold a word it begins.
    works = list(searched("villag"))
    begun = whole_word_works("villag", begun=True)
    assert len(begun) == 30
    assert [w.slug for w in works[:30]] == begun
    assert {w.search_rank for w in works[:30]} == {BEGUN_WORDS_RANK}
    assert all(w.search_rank < 1 for w in works[30:])  # the synopses
    assert "draft" not in {w.slug for w in works}
    # A phrase's other words stay whole and in order: "Quiet Village", not "Villagers".
    assert [w.slug for w in searched("quiet vil")][:10] == whole_word_works("quiet", "village")


def test_the_page_read_along_the_begun_words_is_the_gathered_page_and_brute_force(villages):
    expected = whole_word_works("villag", begun=True)
    for number in (1, 2, 4):
        slugs, counted, queries = read(number, "villag")
        gathered, gathered_count, _ = read(number, "villag", words=False)
        assert slugs == gathered == expected[(number - 1) * 3 : min(number * 3, 10)]
        assert counted == gathered_count == (10, True)
        # Whether the list holds few works without its search (no), the whole words' count
        # (none), the begun words' count (30, past the bound), the page: nothing gathered,
        # nothing ranked by word similarity.
        assert len(queries) == 4
        assert "LIKE" in queries[2]
        assert "LIKE" in queries[3]
        assert not any("UNION" in sql for sql in queries)


def test_a_phrase_with_its_last_word_begun_is_read_from_the_gathered_matches(villages):
    # Ranked next all the same; not read along (Work.search_words reads one word begun only).
    expected = whole_word_works("quiet", "vil", begun=True)
    assert len(expected) == 10
    slugs, counted, queries = read(2, "quiet vil", bound=5, per_page=2)
    assert slugs == expected[2:4]
    assert counted == (5, True)
    assert "UNION" in queries[-1]


def test_begun_words_are_read_along_under_the_lists_filters(villages):
    # The list's own conditions hold for the begun words too: here the "Villagers" are left
    # out, and 20 others still pass the bound.
    queryset = text_search(
        Work.objects.public().exclude(title__startswith="Villagers").order_by("title", "pk"),
        "villag",
    )
    expected = [s for s in whole_word_works("villag", begun=True) if int(s[1:]) % 4 != 1]
    slugs, counted, queries = read(2, queryset=queryset)
    assert slugs == expected[3:6]
    assert counted == (10, True)
    assert not any("UNION" in sql for sql in queries)


def test_begun_words_under_the_bound_or_beside_whole_ones_are_read_from_the_gathered_matches(
    villages,
):
    # 30 begun works, 40 matches, under the bound: the exact count needs them all.
    slugs, counted, queries = read(4, "villag", bound=50)
    assert counted == (40, False)
    assert slugs == whole_word_works("villag", begun=True)[9:12]
    assert "UNION" in queries[-1]
    # Whole-word works under the bound: the begun ones are not read along either.
    slugs, counted, queries = read(8, "village", bound=25)
    assert counted == (25, True)
    assert slugs == [f"w{n:02}" for n in (5, 9, 13)]
    assert "UNION" in queries[-1]


def test_a_begun_word_is_one_range_of_the_words_index():
    # The words are in the C collation (catalog migration 0016), where PostgreSQL reads a LIKE
    # prefix as a range of a B-tree; in the database's own collation it filtered every word.
    WorkFactory(title="Village Road")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT work_id FROM catalog_work_word WHERE word LIKE %s", ["villag%"]
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Cond: ((word >= 'villag'::text) AND (word < 'villah'::text))" in plan
