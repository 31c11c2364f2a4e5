"""The public catalog pages: themes, works, places, organisations, sitemap and errors."""

import datetime
import json
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Place, WorkOrganisation, WorkPlace
from core.models import PublicState
from initiatives.models import Batch
from public import facets
from public.views import catalog as views
from tests.factories import (
    BatchFactory,
    BatchThemeCountFactory,
    InitiativeFactory,
    InitiativeOrganisationFactory,
    OrganisationFactory,
    PlaceFactory,
    RecommendationFactory,
    SourceFactory,
    ThemeFactory,
    WorkFactory,
    WorkOrganisationFactory,
    WorkPlaceFactory,
    create_in_bulk,
    create_works_in_bulk,
    published_at_the_end,
)
from tests.sitemaps import sitemap_xml

pytestmark = pytest.mark.django_db


def text(response):
    """The page's visible text, whitespace collapsed, the way a reader meets it."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def world():
    """A small catalog: one initiative, a published and a draft batch, places nested
    province > city > site, a heritage theme and works in each state."""
    with published_at_the_end():
        return _world()


def _world():
    heritage = ThemeFactory(
        name="Intangible cultural heritage", slug="intangible-cultural-heritage"
    )
    rural = ThemeFactory(name="Rural revitalisation", slug="rural-revitalisation")
    initiative = InitiativeFactory(
        name="Travel with Micro-Dramas",
        name_original="跟着微短剧去旅行",
        slug="travel-with-micro-dramas",
    )
    initiative.themes.set([heritage, rural])
    batch = BatchFactory(initiative=initiative, number=4, total_announced=55, event="Forum")
    draft = BatchFactory(initiative=initiative, number=5, status=Batch.Status.DRAFT)
    BatchThemeCountFactory(batch=batch, theme=heritage, announced=15)
    BatchThemeCountFactory(batch=batch, theme=rural, announced=4)
    fujian = PlaceFactory(name="Fujian", slug="fujian", kind=Place.Kind.PROVINCE)
    xiamen = PlaceFactory(name="Xiamen", slug="xiamen", parent=fujian)
    gulangyu = PlaceFactory(name="Gulangyu", slug="gulangyu", parent=xiamen, kind="site")
    zhejiang = PlaceFactory(name="Zhejiang", slug="zhejiang", kind=Place.Kind.PROVINCE)
    producer = OrganisationFactory(name="Xiamen Studio", slug="xiamen-studio")
    platform = OrganisationFactory(name="Douyin", slug="douyin", kind="platform")
    opera = WorkFactory(
        title="Opera by the Sea",
        title_original="海边戏台",
        slug="opera-by-the-sea",
        synopsis="A young singer brings Gaojia opera back to her island.",
        episodes=24,
        year=2024,
    )
    RecommendationFactory(batch=batch, work=opera, theme=heritage)
    WorkPlaceFactory(work=opera, place=gulangyu)
    WorkOrganisationFactory(work=opera, organisation=producer)
    WorkOrganisationFactory(
        work=opera,
        organisation=platform,
        role=WorkOrganisation.Role.PLATFORM,
        url="https://example.org/watch/opera",
    )
    reunion = WorkFactory(title="Reunion", slug="reunion", year=2023)
    RecommendationFactory(batch=batch, work=reunion, theme=None)
    village = WorkFactory(title="Village Spring", slug="village-spring")
    RecommendationFactory(batch=batch, work=village, theme=rural)
    WorkPlaceFactory(work=village, place=zhejiang, relation=WorkPlace.Relation.SET_IN)
    secret = WorkFactory(title="Secret Draft Work", slug="secret-draft-work")
    RecommendationFactory(batch=draft, work=secret, theme=heritage)
    InitiativeOrganisationFactory(initiative=initiative, organisation=producer)
    return {
        "heritage": heritage,
        "rural": rural,
        "initiative": initiative,
        "batch": batch,
        "draft": draft,
        "fujian": fujian,
        "xiamen": xiamen,
        "gulangyu": gulangyu,
        "producer": producer,
        "platform": platform,
        "opera": opera,
        "reunion": reunion,
        "village": village,
        "secret": secret,
    }


def more_works(count, theme, batch, place):
    """`count` works listed in `batch` under `theme`, each with a source, filmed at `place`
    and made by a producer of its own; saved in bulk (tests/factories.py)."""
    with published_at_the_end():
        # Listed, so public through the batch only (as RecommendationFactory makes it).
        works = create_works_in_bulk(count, published_directly=False)
        create_in_bulk(
            RecommendationFactory, [{"work": w} for w in works], batch=batch, theme=theme
        )
        create_in_bulk(WorkPlaceFactory, [{"work": w} for w in works], place=place)
        producers = create_in_bulk(OrganisationFactory, count)
        create_in_bulk(
            WorkOrganisationFactory,
            [{"work": w, "organisation": o} for w, o in zip(works, producers, strict=True)],
        )


#
# Themes
#


def test_theme_list_shows_each_theme_with_its_number_of_public_works(client, world):
    page = text(client.get(reverse("catalog:theme_list")))
    # The draft batch's work is not counted.
    assert "Intangible cultural heritage" in page
    assert "1 work listed" in page


def test_theme_page_lists_its_works_and_the_announced_against_listed_counts(client, world):
    response = client.get(reverse("catalog:theme_detail", args=["intangible-cultural-heritage"]))
    page = text(response)
    assert response.status_code == 200
    assert "Opera by the Sea" in page
    assert "Village Spring" not in page
    assert "Secret Draft Work" not in page
    assert re.search(r"Travel with Micro-Dramas, batch 4 .* 15 1", page)


def test_theme_page_counts_the_listings_it_shows_figures_for_without_loading_them(
    client, world, monkeypatch
):
    """The batch table's "listed here" is counted by the database: loading every listing
    under the theme to count it read 104,560 listings at 1M works (8 s a page)."""
    from django.db.models.signals import post_init

    from initiatives.models import Recommendation

    more_works(30, world["heritage"], world["batch"], world["xiamen"])
    loaded = []

    def count(sender, **kwargs):
        loaded.append(sender)

    post_init.connect(count, sender=Recommendation)
    try:
        page = text(client.get(reverse("catalog:theme_detail", args=[world["heritage"].slug])))
    finally:
        post_init.disconnect(count, sender=Recommendation)
    assert re.search(r"Travel with Micro-Dramas, batch 4 .* 15 31", page)
    assert len(loaded) <= views.WORKS_PER_PAGE  # the work cards' own listings, one page


def test_theme_page_shows_its_newest_batches_and_offers_all_as_csv(client, world, monkeypatch):
    monkeypatch.setattr(views, "THEME_BATCHES_SHOWN", 1)
    with published_at_the_end():
        newer = BatchFactory(initiative=world["initiative"], number=6, announced_on="2099-01-01")
        RecommendationFactory(batch=newer, theme=world["heritage"])
    html = client.get(reverse("catalog:theme_detail", args=[world["heritage"].slug])).content
    assert "The 1 newest of the 2 batches that list this theme." in html.decode()
    table = html.decode().split("<tbody>")[1].split("</tbody>")[0]
    assert "batch 6" in table
    assert "batch 4" not in table
    response = client.get("/api/v1/batches/", {"theme": world["heritage"].slug, "format": "csv"})
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert len(rows) == 3  # the header and both batches


def test_unknown_theme_is_a_404_in_the_site_layout(client, world):
    response = client.get("/themes/no-such-theme/")
    assert response.status_code == 404
    assert "Page not found" in text(response)
    assert "Micro-Drama Catalog" in text(response)


def test_theme_page_number_out_of_range_or_malformed_is_a_404(client, world):
    url = reverse("catalog:theme_detail", args=["intangible-cultural-heritage"])
    assert client.get(url, {"page": 99}).status_code == 404
    assert client.get(url, {"page": "abc"}).status_code == 404


def test_a_themes_pages_read_its_batches_once_per_public_state(
    client, world, settings, django_assert_num_queries
):
    """Every page of a theme shows the same batches, figures and count of works: read once,
    and again once a publication changes them."""
    settings.PAGE_CACHE_SECONDS = 0
    more_works(27, world["heritage"], world["batch"], world["gulangyu"])
    url = reverse("catalog:theme_detail", args=["intangible-cultural-heritage"])
    first = client.get(url).context
    assert (first["batch_count"], first["paginator"].count) == (1, 28)
    with django_assert_num_queries(2):  # the theme, and its page of works
        response = client.get(url, {"page": 2})
    assert [batch.number for batch, _row, _share in response.context["batch_tallies"]] == [4]
    # After every date the factories give (2024).
    newer = BatchFactory(
        initiative=world["initiative"], number=7, announced_on=datetime.date(2025, 3, 1)
    )
    BatchThemeCountFactory(batch=newer, theme=world["heritage"], announced=3)
    more_works(1, world["heritage"], newer, world["gulangyu"])
    response = client.get(url, {"page": 2})
    assert (response.context["batch_count"], response.context["paginator"].count) == (2, 29)
    assert [batch.number for batch, _row, _share in response.context["batch_tallies"]] == [7, 4]


def test_theme_pages_take_the_same_number_of_queries_for_3_and_30_works(
    client, world, django_assert_max_num_queries
):
    url = reverse("catalog:theme_detail", args=["intangible-cultural-heritage"])
    more_works(2, world["heritage"], world["batch"], world["xiamen"])
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    more_works(27, world["heritage"], world["batch"], world["xiamen"])
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("catalog:theme_list")).status_code == 200


#
# Works: the list and its filters
#


def work_titles(response):
    return [w.title for w in response.context["works"]]


def test_work_list_shows_public_works_only_sorted_by_title(client, world):
    response = client.get(reverse("catalog:work_list"))
    assert work_titles(response) == ["Opera by the Sea", "Reunion", "Village Spring"]
    assert "Secret Draft Work" not in text(response)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"theme": "intangible-cultural-heritage"}, ["Opera by the Sea"]),
        (
            {"initiative": "travel-with-micro-dramas"},
            ["Opera by the Sea", "Reunion", "Village Spring"],
        ),
        (
            {"batch": "travel-with-micro-dramas-4"},
            ["Opera by the Sea", "Reunion", "Village Spring"],
        ),
        ({"place": "fujian"}, ["Opera by the Sea"]),
        ({"place": "xiamen"}, ["Opera by the Sea"]),
        ({"place": "zhejiang"}, ["Village Spring"]),
        ({"organisation": "douyin"}, ["Opera by the Sea"]),
        ({"year": "2023"}, ["Reunion"]),
        ({"q": "gaojia"}, ["Opera by the Sea"]),
        ({"q": "海边"}, ["Opera by the Sea"]),
        ({"q": "戏"}, ["Opera by the Sea"]),
    ],
)
def test_each_work_filter_narrows_the_list(client, world, params, expected):
    response = client.get(reverse("catalog:work_list"), params)
    assert response.status_code == 200
    assert work_titles(response) == expected


def test_filters_combine_and_the_form_keeps_them(client, world):
    response = client.get(
        reverse("catalog:work_list"), {"theme": "intangible-cultural-heritage", "place": "fujian"}
    )
    assert work_titles(response) == ["Opera by the Sea"]
    html = response.content.decode()
    assert re.search(
        r'<input type="checkbox" name="theme" value="intangible-cultural-heritage"[^>]* checked',
        html,
    )
    assert '<option value="fujian" selected>' in html
    assert "Filtered by" in text(response)


def test_work_list_offers_the_organisations_with_most_works_and_takes_any(
    client, world, monkeypatch
):
    """All 5,065 organisations and 2,012 batches of the 1M-work catalog made the works page
    833 KB: a filter offers the FILTER_OPTIONS with the most works (and the chosen one),
    says so, and still takes any public record's slug."""
    monkeypatch.setattr(views, "FILTER_OPTIONS", 1)
    with published_at_the_end():
        busy = OrganisationFactory(name="Busy Studio", slug="busy-studio")
        for work in (world["opera"], world["village"]):
            WorkOrganisationFactory(work=work, organisation=busy)
    response = client.get(reverse("catalog:work_list"))
    select = response.content.decode().split('name="organisation"')[1].split("</select>")[0]
    assert 'value="busy-studio"' in select  # two works: the most
    assert 'value="douyin"' not in select
    assert "Organisation: the 1 with the most works are offered" in text(response)
    chosen = client.get(reverse("catalog:work_list"), {"organisation": "douyin"})
    select = chosen.content.decode().split('name="organisation"')[1].split("</select>")[0]
    assert 'value="douyin" selected' in select
    assert "Opera by the Sea" in text(chosen)
    assert "Village Spring" not in text(chosen)
    # A page that reports a bad value shows its form again, bounded the same way.
    refused = client.get(reverse("catalog:work_list"), {"organisation": "douyin", "year": "x"})
    assert refused.status_code == 400
    select = refused.content.decode().split('name="organisation"')[1].split("</select>")[0]
    assert 'value="busy-studio"' in select
    assert 'value="xiamen-studio"' not in select
    # Where the others are offered: each organisation's and batch's own page.
    organisation_page = client.get(world["platform"].get_absolute_url()).content.decode()
    assert 'href="/works/?organisation=douyin"' in organisation_page
    batch_page = client.get(world["batch"].get_absolute_url()).content.decode()
    assert f'href="/works/?batch={world["batch"].slug}"' in batch_page


def test_work_list_sorts_by_newest_batch(client, world):
    older = BatchFactory(initiative=world["initiative"], number=1, announced_on="2020-01-01")
    world["batch"].announced_on = "2024-10-12"
    world["batch"].save()
    early = WorkFactory(title="Aardvark Tales", slug="aardvark")
    RecommendationFactory(batch=older, work=early, theme=None)
    response = client.get(reverse("catalog:work_list"), {"ordering": "-newest_batch"})
    assert work_titles(response)[-1] == "Aardvark Tales"
    response = client.get(reverse("catalog:work_list"), {"ordering": "title"})
    assert work_titles(response)[0] == "Aardvark Tales"


def test_every_filter_control_has_a_label(client, world):
    html = client.get(reverse("catalog:work_list")).content.decode()
    start = html.index('<details class="filters"')
    form = html[start : html.index("</details>", start)]
    ids = re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', form)
    assert len(ids) >= 8  # the search box, a box per theme, five lists, the year, the order
    for control_id in ids:
        assert f'<label for="{control_id}">' in form


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"theme": "no-such-theme"}, "Select a valid choice"),
        ({"place": "atlantis"}, "Select a valid choice"),
        ({"batch": "travel-with-micro-dramas-5"}, "Select a valid choice"),  # a draft batch
        ({"year": "twenty"}, "Enter a whole number"),
        ({"year": "1200"}, "greater than or equal to 1900"),
        ({"q": "x" * 101}, "at most 100 characters"),
    ],
)
def test_bad_filter_values_give_a_clear_message_not_an_error(client, world, params, message):
    response = client.get(reverse("catalog:work_list"), params)
    assert response.status_code == 400
    page = text(response)
    assert "These filters cannot be applied" in page
    assert message in page


@pytest.mark.parametrize("ordering", ["nonsense", ",", "title,", "-year,,"])
def test_a_malformed_sort_order_falls_back_to_the_default_order(client, world, ordering):
    default = work_titles(client.get(reverse("catalog:work_list")))
    response = client.get(reverse("catalog:work_list"), {"ordering": ordering})
    assert response.status_code == 200
    assert work_titles(response) == default


def test_newest_year_first_sorts_by_year(client, world):
    WorkFactory(title="Aardvark Tales", year=2020)
    WorkFactory(title="Zebra Days", year=2025)
    titles = work_titles(client.get(reverse("catalog:work_list"), {"ordering": "-year"}))
    assert titles.index("Zebra Days") < titles.index("Aardvark Tales")
    assert titles[0] == "Zebra Days"


@pytest.mark.parametrize("page", ["99", "0", "abc", "-1"])
def test_work_list_page_out_of_range_or_malformed_is_a_404(client, world, page):
    assert client.get(reverse("catalog:work_list"), {"page": page}).status_code == 404


def test_work_list_paginates_and_keeps_the_filters_in_the_page_links(client, world):
    more_works(30, world["heritage"], world["batch"], world["xiamen"])
    response = client.get(reverse("catalog:work_list"), {"theme": "intangible-cultural-heritage"})
    assert len(response.context["works"]) == 24
    assert "Page 1 of 2" in text(response)
    assert "?theme=intangible-cultural-heritage&amp;page=2" in response.content.decode()
    second = client.get(
        reverse("catalog:work_list"), {"theme": "intangible-cultural-heritage", "page": 2}
    )
    assert len(second.context["works"]) == 7


def test_work_list_takes_the_same_number_of_queries_for_3_and_30_works(
    client, world, django_assert_max_num_queries
):
    url = reverse("catalog:work_list")
    # + the options' counts (public/facets.py): one query for each of theme, initiative,
    # batch and organisation, up to three for places; and before them, for each set of
    # filters a facet applies, a capped count (at most three here); none grows with the works.
    budget = 16 + 7 + 3
    with django_assert_max_num_queries(budget):
        client.get(url, {"place": "fujian"})
    more_works(27, world["heritage"], world["batch"], world["gulangyu"])
    with django_assert_max_num_queries(budget):
        assert len(client.get(url).context["works"]) == 24
    with django_assert_max_num_queries(budget):
        client.get(url, {"place": "fujian", "theme": "intangible-cultural-heritage"})


def test_a_works_page_past_the_facets_bound_reads_its_count_and_its_rows_only(
    client, world, settings, monkeypatch, django_assert_num_queries
):
    """Issue 11's budget, at most four queries per list, on the works page as the 1M-work
    catalog serves it: its facets past the bound, no page cached. The cards' themes,
    batches and places come in the rows' own query (they were three more), and what the
    filters and the map offer is read once per public state (four more on every page)."""
    settings.PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr(facets, "FACET_BOUND", 2)
    monkeypatch.setattr(views, "FILTER_OPTIONS", 2)  # the organisations' options bounded
    more_works(27, world["heritage"], world["batch"], world["gulangyu"])
    url = reverse("catalog:work_list")
    client.get(url)  # the first after a publication reads what the filters offer
    with django_assert_num_queries(1):  # the page: its count is kept per public state
        response = client.get(url)
    assert len(response.context["works"]) == 24
    assert response.context["options_bounded"] == ["Organisation"]
    with django_assert_num_queries(4):  # the theme's slug, the count, the page, the facets'
        client.get(url, {"theme": "intangible-cultural-heritage"})  # works, capped


def test_a_work_card_links_its_themes_public_batches_and_places_in_the_pages_language(
    client, world
):
    world["opera"].themes.add(world["rural"])
    RecommendationFactory(batch=world["draft"], work=world["opera"], theme=world["heritage"])
    batch_url = reverse("initiatives:batch_detail", args=["travel-with-micro-dramas", 4])
    for prefix, batch_name, place_name, draft_name in [
        ("", "Travel with Micro-Dramas, batch 4", "Gulangyu", "batch 5"),
        # The place has no Chinese name: its English one, marked as such.
        (
            "/zh-hans",
            "跟着微短剧去旅行 第4批",
            '<span class="name-fallback" lang="en">Gulangyu</span>',
            "第5批",
        ),
    ]:
        page = client.get(f"{prefix}/works/").content.decode()
        card = re.search(
            r'<article class="card work-card">(?:(?!</article>).)*海边戏台.*?</article>', page, re.S
        )[0]
        assert f'href="{prefix}/themes/rural-revitalisation/"' in card
        assert f'href="{prefix}{batch_url}">{batch_name}</a>' in card
        assert f'href="{prefix}/places/gulangyu/">{place_name}</a>' in card
        assert draft_name not in card


#
# A work
#


def test_work_page_shows_titles_synopsis_recommendation_places_makers_and_sources(client, world):
    response = client.get(reverse("catalog:work_detail", args=["opera-by-the-sea"]))
    page = text(response)
    assert "Opera by the Sea" in page
    assert "海边戏台" in page
    assert "Gaojia opera" in page
    assert "24" in page
    assert (
        "Travel with Micro-Dramas 跟着微短剧去旅行 , batch 4 · theme Intangible cultural heritage"
        in page
    )
    assert "Filmed at: Gulangyu (Xiamen, Fujian)" in page
    assert "Producer: Xiamen Studio" in page
    assert "Platform: Douyin" in page
    assert 'href="https://example.org/watch/opera"' in response.content.decode()
    assert world["opera"].sources.first().title in page
    html = response.content.decode()
    assert 'href="/initiatives/travel-with-micro-dramas/batches/4/"' in html
    assert 'href="/themes/intangible-cultural-heritage/"' in html


def test_work_page_carries_schema_org_json_ld(client, world):
    html = client.get(reverse("catalog:work_detail", args=["opera-by-the-sea"])).content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "TVSeries"
    assert data["name"] == "Opera by the Sea"
    assert data["alternateName"] == "海边戏台"
    assert data["numberOfEpisodes"] == 24
    assert data["contentLocation"] == [{"@type": "Place", "name": "Gulangyu"}]
    assert data["productionCompany"] == [{"@type": "Organization", "name": "Xiamen Studio"}]


def test_json_ld_cannot_close_its_script_element(client, world):
    world["opera"].synopsis = "</script><script>alert(1)</script>"
    world["opera"].save()
    html = client.get(reverse("catalog:work_detail", args=["opera-by-the-sea"])).content.decode()
    assert "</script><script>alert(1)" not in html


def test_work_with_no_theme_in_its_batch_says_so(client, world):
    page = text(client.get(reverse("catalog:work_detail", args=["reunion"])))
    assert "the source gives no theme" in page
    # No platform and no link: no "Where to watch" section at all.
    assert "Where to watch" not in page


def test_work_listed_only_in_a_draft_batch_is_a_404(client, world):
    assert client.get(reverse("catalog:work_detail", args=["secret-draft-work"])).status_code == 404
    assert client.get("/works/no-such-work/").status_code == 404


def test_work_page_query_count_does_not_grow_with_its_relations(
    client, world, django_assert_max_num_queries
):
    url = reverse("catalog:work_detail", args=["opera-by-the-sea"])
    with django_assert_max_num_queries(10):
        client.get(url)
    for _ in range(10):
        WorkPlaceFactory(work=world["opera"], place=PlaceFactory(parent=world["gulangyu"]))
        WorkOrganisationFactory(work=world["opera"])
        RecommendationFactory(work=world["opera"], batch=BatchFactory())
    with django_assert_max_num_queries(10):
        client.get(url)


#
# Places
#


def test_place_list_is_a_tree_whose_provinces_count_their_cities_works(client, world):
    response = client.get(reverse("catalog:place_list"))
    page = text(response)
    assert re.search(
        r"Fujian province · 1 work Gulangyu site · 1 work Xiamen city · 1 work", page
    ) or ("Fujian" in page and "Xiamen" in page)
    counts = {p.slug: p.work_count for p in response.context["places"]}
    assert counts["fujian"] == 1
    assert counts["xiamen"] == 1
    assert counts["zhejiang"] == 1
    depths = {p.slug: p.tree_depth for p in response.context["places"]}
    assert depths == {"fujian": 0, "xiamen": 1, "gulangyu": 2, "zhejiang": 0}


def test_place_page_lists_works_inside_it_with_its_parents_and_children(client, world):
    page = text(client.get(reverse("catalog:place_detail", args=["xiamen"])))
    assert "Opera by the Sea" in page
    assert "Village Spring" not in page
    assert "Home Places Fujian Xiamen" in page  # breadcrumbs: its parents
    assert "Places inside it Gulangyu" in page


def test_a_place_counts_its_works_per_relation_once_per_public_state(client, world, settings):
    """Each page of a place shows how many of its works were filmed there, set there...:
    the same figures on every page, counted once, and counted again once a publication
    changes them."""
    settings.PAGE_CACHE_SECONDS = 0
    url = reverse("catalog:place_detail", args=["fujian"])

    def filmed_here(**params):
        response = client.get(url, params)
        return [group["count"] for group in response.context["relation_groups"]]

    assert filmed_here() == [1]
    with CaptureQueriesContext(connection) as queries:
        assert filmed_here(page=1) == [1]
    assert not [q for q in queries if "COUNT(DISTINCT" in q["sql"]]
    more_works(2, world["heritage"], world["batch"], world["gulangyu"])
    assert filmed_here() == [3]


def test_unknown_place_is_a_404(client, world):
    assert client.get("/places/atlantis/").status_code == 404


def test_a_place_names_a_few_organisations_based_there_and_links_to_all_of_them(
    client, world, monkeypatch
):
    """A province of the 1M-work catalog listed all 812 organisations based there on each of
    its pages. It names the first few now, and the organisations' list has every one,
    those in the places inside it included."""
    monkeypatch.setattr(views, "PLACE_ORGANISATIONS", 2)
    for n, place in enumerate(["fujian", "xiamen", "gulangyu"]):
        OrganisationFactory(name=f"Studio {n}", slug=f"studio-{n}", place=world[place])
    zhejiang = Place.objects.get(slug="zhejiang")
    OrganisationFactory(name="Hangzhou Studio", slug="hangzhou-studio", place=zhejiang)

    response = client.get(reverse("catalog:place_detail", args=["fujian"]))
    assert [o.slug for o in response.context["organisations"]] == ["studio-0", "studio-1"]
    page = text(response)
    assert "All 3 organisations based here" in page
    assert 'href="/organisations/?place=fujian"' in response.content.decode()

    listed = client.get("/organisations/", {"place": "fujian"})
    assert {o.slug for o in listed.context["object_list"]} == {"studio-0", "studio-1", "studio-2"}
    assert "Organisations based in Fujian" in text(listed)
    assert "本地全部 3 家机构" in text(client.get("/zh-hans/places/fujian/"))
    assert client.get("/organisations/", {"place": "atlantis"}).status_code == 404
    PlaceFactory(name="Ningbo", slug="ningbo")
    none_there = text(client.get("/organisations/", {"place": "ningbo"}))
    assert "Organisations based in Ningbo" in none_there
    assert "No organisation in the catalog is based there." in none_there

    xiamen = text(client.get(reverse("catalog:place_detail", args=["xiamen"])))
    assert "Studio 1" in xiamen
    assert "Studio 2" in xiamen
    assert "organisations based here" not in xiamen  # both named: no link


def test_place_pages_take_the_same_number_of_queries_for_3_and_30_works(
    client, world, django_assert_max_num_queries
):
    more_works(2, world["heritage"], world["batch"], world["gulangyu"])
    # + 2 for the grouping by relation: the count per relation, the page's links; the map's
    # per-place counts take 3 when this public-state version has none in the cache yet.
    with django_assert_max_num_queries(17):
        client.get(reverse("catalog:place_detail", args=["fujian"]))
    with django_assert_max_num_queries(6):
        client.get(reverse("catalog:place_list"))
    more_works(27, world["heritage"], world["batch"], world["gulangyu"])
    with django_assert_max_num_queries(17):
        client.get(reverse("catalog:place_detail", args=["fujian"]))
    with django_assert_max_num_queries(6):
        client.get(reverse("catalog:place_list"))


#
# Organisations
#


def test_organisation_page_says_what_it_initiated_and_produced(client, world):
    page = text(client.get(reverse("catalog:organisation_detail", args=["xiamen-studio"])))
    assert "In initiatives Initiator Travel with Micro-Dramas" in page
    assert "Behind these works Producer Opera by the Sea" in page


def test_organisation_page_hides_works_of_draft_batches(client, world):
    WorkOrganisationFactory(work=world["secret"], organisation=world["producer"])
    page = text(client.get(reverse("catalog:organisation_detail", args=["xiamen-studio"])))
    assert "Secret Draft Work" not in page


def test_organisation_list_groups_by_kind_with_counts(client, world):
    page = text(client.get(reverse("catalog:organisation_list")))
    assert "Platform Douyin 1 work" in page
    assert "Production company Xiamen Studio 1 work · 1 initiative" in page


def test_organisation_list_comes_in_pages_each_counting_its_own(client, world, monkeypatch):
    """5,065 organisations made one page of 1 MB, their counts 4.6 s; a page counts for its
    own organisations only (annotated on the paged query, PostgreSQL counted for every row
    skipped before page 51: 3 s)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(views.OrganisationListView, "paginate_by", 1)
    first = text(client.get(reverse("catalog:organisation_list")))
    second = text(client.get(reverse("catalog:organisation_list"), {"page": 2}))
    assert "Platform Douyin 1 work" in first
    assert "Xiamen Studio" not in first
    assert "Page 1 of 2" in first
    assert "Production company Xiamen Studio 1 work · 1 initiative" in second
    assert client.get(reverse("catalog:organisation_list"), {"page": 3}).status_code == 404
    cache.clear()  # the page cache answered the same address above
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("catalog:organisation_list"), {"page": 2})
    counting = [q["sql"] for q in queries if "COUNT(DISTINCT" in q["sql"]]
    assert len(counting) == 1
    assert "OFFSET" not in counting[0]


def test_unknown_organisation_is_a_404(client, world):
    assert client.get("/organisations/nobody/").status_code == 404


def test_organisation_pages_take_the_same_number_of_queries_for_3_and_30_works(
    client, world, django_assert_max_num_queries
):
    url = reverse("catalog:organisation_detail", args=["xiamen-studio"])
    with django_assert_max_num_queries(8):
        client.get(url)
    with published_at_the_end():
        works = create_works_in_bulk(27)
        create_in_bulk(
            WorkOrganisationFactory, [{"work": w} for w in works], organisation=world["producer"]
        )
    with django_assert_max_num_queries(8):
        client.get(url)
    with django_assert_max_num_queries(4):
        client.get(reverse("catalog:organisation_list"))


#
# Every page: title, description, canonical, languages; sitemap; errors
#


PAGES = [
    "/",
    "/themes/",
    "/themes/intangible-cultural-heritage/",
    "/works/",
    "/works/opera-by-the-sea/",
    "/places/",
    "/places/fujian/",
    "/organisations/",
    "/organisations/xiamen-studio/",
    "/initiatives/",
    "/initiatives/travel-with-micro-dramas/",
    "/initiatives/travel-with-micro-dramas/batches/4/",
    "/search/?q=opera",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_a_title_description_canonical_link_and_language_versions(
    client, world, url
):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    assert title.endswith("Micro-Drama Catalog")
    assert re.search(r'<meta name="description" content="[^"]{20,}">', html)
    path = url.split("?")[0]
    assert f'<link rel="canonical" href="http://testserver{path}">' in html
    assert f'hreflang="zh-Hans" href="http://testserver/zh-hans{path}"' in html
    switcher = f'<a href="/zh-hans{url}" hreflang="zh-Hans" lang="zh-Hans">简体中文</a>'
    assert switcher in html.replace("&amp;", "&")


@pytest.mark.parametrize("url", PAGES)
def test_no_page_asks_a_third_party_for_anything(client, world, url):
    html = client.get(url).content.decode()
    for attr in re.findall(r'<(?:link|script|img|iframe)[^>]*(?:src|href)="([^"]*)"', html):
        assert not attr.startswith(("http://", "https://", "//")) or attr.startswith(
            "http://testserver/"
        ), attr


def test_pages_are_translated_into_simplified_chinese_under_zh_hans(client, world):
    response = client.get("/zh-hans/works/")
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "作品" in text(response)
    assert 'href="/zh-hans/works/opera-by-the-sea/"' in html


def switcher_links(response) -> dict[str, str]:
    """The language switcher's links: language tag -> address."""
    nav = re.search(r'<nav class="language-switcher".*?</nav>', response.content.decode(), re.S)
    return {
        tag: href.replace("&amp;", "&")
        for href, tag in re.findall(r'<a href="([^"]*)" hreflang="([^"]*)"', nav.group(0))
    }


def test_language_switcher_takes_the_visitor_to_the_same_page_in_chinese(client, world):
    response = client.get("/works/?theme=intangible-cultural-heritage&page=1")
    links = switcher_links(response)
    assert links["zh-Hans"] == "/zh-hans/works/?theme=intangible-cultural-heritage&page=1"
    assert links["en"] == "/works/?theme=intangible-cultural-heritage&page=1"
    followed = client.get(links["zh-Hans"])
    assert followed.status_code == 200
    assert '<html lang="zh-Hans">' in followed.content.decode()


def test_language_switcher_takes_the_visitor_from_chinese_back_to_english(client, world):
    """Issue 13: from a /zh-hans/ page the old POST form sent the visitor back to the
    /zh-hans/ page; a link to the English address cannot."""
    response = client.get("/zh-hans/works/opera-by-the-sea/")
    links = switcher_links(response)
    assert links["en"] == "/works/opera-by-the-sea/"
    followed = client.get(links["en"], HTTP_ACCEPT_LANGUAGE="zh-Hans")
    assert followed.status_code == 200
    assert '<html lang="en">' in followed.content.decode()


def test_the_old_language_form_address_is_gone(client, world):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/zh-hans/works/"})
    assert response.status_code == 404


def test_sitemap_lists_public_pages_in_both_languages_and_hides_drafts(client, world):
    xml = sitemap_xml(client)
    assert "http://testserver/works/opera-by-the-sea/" in xml
    assert "http://testserver/zh-hans/works/opera-by-the-sea/" in xml
    assert "http://testserver/initiatives/travel-with-micro-dramas/batches/4/" in xml
    assert "http://testserver/places/fujian/" in xml
    assert "secret-draft-work" not in xml
    assert "/batches/5/" not in xml


def test_sitemap_is_an_index_of_pages_of_bounded_size(client, world, monkeypatch):
    """A crawler reads /sitemap.xml, an index, then each page of each section: one file of
    1M works was 26 MB and took 33 s. The index itself loads no record (Django's default
    read every record of a section to find its last change)."""
    from django.db.models.signals import post_init
    from django.utils import timezone

    from catalog.models import Work
    from public import sitemaps
    from tests.sitemaps import sitemap_pages

    more_works(4, world["heritage"], world["batch"], world["xiamen"])
    monkeypatch.setattr(sitemaps._I18nSitemap, "limit", 4)  # two records, two languages
    loaded = []

    def count(sender, **kwargs):
        loaded.append(sender)

    post_init.connect(count, sender=Work)
    try:
        pages = sitemap_pages(client)
    finally:
        post_init.disconnect(count, sender=Work)
    assert loaded == []
    works_pages = [page for page in pages if page.startswith("/sitemap-works.xml")]
    public = Work.objects.public().count()
    assert len(works_pages) == -(-public // 2)  # ceil: 7 works, pages of 2
    found = set()
    for page in works_pages:
        xml = client.get(page).content.decode()
        slugs = set(re.findall(r"<loc>http://testserver/works/([^/<]+)/</loc>", xml))
        assert 1 <= len(slugs) <= 2
        assert len(re.findall(r"<url>", xml)) <= 4
        found |= slugs
    assert found == set(Work.objects.public().values_list("slug", flat=True))
    index = client.get("/sitemap.xml").content.decode()
    latest = Work.objects.public().latest("updated_at").updated_at
    assert f"<lastmod>{timezone.localtime(latest).date().isoformat()}" in index


def test_the_works_sitemap_gives_each_works_own_addresses_without_reversing_each(
    client, world, monkeypatch
):
    """Each work's address and its alternates are its get_absolute_url() in each language,
    built from one address reversed per language (core.addresses): a reverse() per address
    was a third of a page's 2 s at 1M works. A work published since the last page counts at
    once."""
    from django.utils import translation

    from catalog.models import Work
    from core import addresses

    more_works(3, world["heritage"], world["batch"], world["xiamen"])
    expected = set()
    for work in Work.objects.public():
        for language in ("en", "zh-hans"):
            with translation.override(language):
                expected.add(f"http://testserver{work.get_absolute_url()}")
    reversed_for_a_work = []
    original = addresses.reverse
    monkeypatch.setattr(
        addresses,
        "reverse",
        lambda *a, **k: reversed_for_a_work.append(a) or original(*a, **k),
    )
    xml = client.get("/sitemap-works.xml").content.decode()

    assert set(re.findall(r"<loc>([^<]+)</loc>", xml)) == expected
    alternates = set(re.findall(r'hreflang="(?:en|zh-hans)" href="([^"]+)"', xml))
    assert alternates == expected
    assert reversed_for_a_work == []
    more_works(1, world["heritage"], world["batch"], world["xiamen"])
    assert (
        len(re.findall(r"<url>", client.get("/sitemap-works.xml").content.decode()))
        == len(expected) + 2
    )


def test_each_sitemap_page_is_what_djangos_sitemap_view_writes(rf, world, monkeypatch):
    """public.sitemaps.sitemap_page writes each page without Django's view and template: the same
    bytes and headers, page after page of every section, and the same 404s."""
    from django.contrib.sitemaps import views as django_views
    from django.http import Http404

    from public import sitemaps

    more_works(3, world["heritage"], world["batch"], world["xiamen"])
    monkeypatch.setattr(sitemaps._I18nSitemap, "limit", 4)  # two records, two languages
    pages = 0
    for name in sitemaps.sitemaps:
        for page in ("1", "2", "3", "99", "x"):
            request = rf.get(f"/sitemap-{name}.xml", {"p": page})
            try:
                expected = django_views.sitemap(request, sitemaps.sitemaps, name).render()
            except Http404:
                with pytest.raises(Http404):
                    sitemaps.sitemap_page(request, sitemaps.sitemaps, name)
                continue
            written = sitemaps.sitemap_page(request, sitemaps.sitemaps, name)
            assert written.content == expected.content, (name, page)
            for header in ("Content-Type", "Last-Modified", "X-Robots-Tag"):
                assert written.get(header) == expected.get(header), (name, page, header)
            pages += 1
    assert pages >= 10
    with pytest.raises(Http404):
        sitemaps.sitemap_page(rf.get("/sitemap-nothing.xml"), sitemaps.sitemaps, "nothing")


def test_a_deep_sitemap_page_reads_its_works_from_the_first_ones_id(client, world, monkeypatch):
    """Each page holds the works after the page before, in id order, none twice; read from
    its first work's id (found along the index), not with an OFFSET that fetched every
    work it skipped (175 ms for a page of the 1M works, 42 ms this way)."""
    from catalog.models import Work
    from public import sitemaps

    more_works(5, world["heritage"], world["batch"], world["xiamen"])
    monkeypatch.setattr(sitemaps._I18nSitemap, "limit", 4)  # two works a page
    public = list(Work.objects.public().order_by("pk").values_list("slug", flat=True))
    read = []
    for page in range(1, -(-len(public) // 2) + 1):
        with CaptureQueriesContext(connection) as queries:
            xml = client.get("/sitemap-works.xml", {"p": page}).content.decode()
        slugs = re.findall(r"<loc>http://testserver/works/([^/<]+)/</loc>", xml)
        read += slugs
        works = [q["sql"] for q in queries if 'FROM "catalog_work"' in q["sql"]]
        assert works, page
        if page > 1:
            outer = works[-1].rsplit(")", 1)[-1]  # after the subquery finding the first id
            assert "OFFSET" not in outer, works[-1]
    assert read == public


def test_a_sitemap_page_activates_each_language_once_not_once_per_address(
    client, world, monkeypatch
):
    """Django's view activated a language four times an address (the address, each
    alternate, the x-default): 40,000 times on a page of the 1M works' sitemap."""
    from django.utils import translation

    more_works(6, world["heritage"], world["batch"], world["xiamen"])
    activated = []
    original = translation._trans.activate
    monkeypatch.setattr(
        translation._trans, "activate", lambda code: activated.append(code) or original(code)
    )
    xml = client.get("/sitemap-works.xml").content.decode()
    assert len(re.findall(r"<url>", xml)) >= 16
    # Each language on and back (2 each), and the request's own.
    assert len(activated) <= 2 * len(settings.LANGUAGES) + 2, activated


def test_a_server_error_shows_the_500_page_in_the_layout(client, world, settings):
    from public.views.errors import server_error

    request = client.get("/").wsgi_request
    response = server_error(request)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "/static/css/site.css" in response.content.decode()


def test_unknown_address_gets_the_404_page_with_navigation(client, world):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = text(response)
    assert "Page not found" in page
    assert "Browse all works" in page


def test_source_page_lists_what_cites_it(client, world):
    source = SourceFactory(title="The Paper article")
    world["opera"].sources.add(source)
    page = text(client.get(source.get_absolute_url()))
    assert "The Paper article" in page
    assert "Opera by the Sea" in page


def test_a_later_page_of_a_list_is_its_own_canonical_page(client, world):
    more_works(30, world["heritage"], world["batch"], world["xiamen"])
    html = client.get(reverse("catalog:work_list"), {"page": 2, "ordering": "title"}).content
    assert b'<link rel="canonical" href="http://testserver/works/?page=2">' in html


@pytest.mark.parametrize("page", ["²", "٣", "9" * 5000])
def test_a_page_number_in_odd_digits_is_a_404_not_a_server_error(client, world, page):
    for url in [reverse("catalog:work_list"), "/themes/intangible-cultural-heritage/", "/no/"]:
        response = client.get(url, {"page": page})
        assert response.status_code == 404
        assert "Page not found" in text(response)


def test_undated_batches_come_after_dated_ones_on_work_and_theme_pages(client, world):
    # PostgreSQL sorts NULL dates first in a descending order; SQLite sorts them last.
    undated = BatchFactory(initiative=world["initiative"], number=6, announced_on=None)
    BatchThemeCountFactory(batch=undated, theme=world["heritage"], announced=2)
    RecommendationFactory(batch=undated, work=world["opera"], theme=world["heritage"])
    world["batch"].announced_on = "2024-10-12"
    world["batch"].save()

    work_page = text(client.get(reverse("catalog:work_detail", args=["opera-by-the-sea"])))
    assert work_page.index("batch 4") < work_page.index("batch 6")
    theme_page = text(
        client.get(reverse("catalog:theme_detail", args=["intangible-cultural-heritage"]))
    )
    assert re.search(r"Micro-Dramas, batch 4 .* Micro-Dramas, batch 6 date not given", theme_page)
    card = text(client.get(reverse("catalog:work_list"), {"q": "Opera"}))
    assert re.search(r"Recommended in .*, batch 4 ; .*, batch 6", card)


def test_an_over_long_text_filter_is_named_in_chinese_on_the_chinese_site(client, world):
    response = client.get("/zh-hans/works/", {"q": "剧" * 101})
    assert response.status_code == 400
    page = text(response)
    assert "标题或文字包含" in page
    assert "Title or text contains" not in page


def test_the_sort_orders_are_named_in_chinese_on_the_chinese_site_descending_too(client, world):
    """django-filter formats "%s (descending)" when the FilterSet class is defined, in the
    language active then: the Chinese page offered "First recorded (descending)"."""
    page = text(client.get("/zh-hans/works/"))
    assert "首次收录（降序）" in page
    assert "(descending)" not in page
    assert "First recorded (descending)" in text(client.get("/works/"))


def test_theme_list_is_one_query_and_fetches_nothing_it_does_not_show(
    client, world, django_assert_num_queries
):
    PublicState.cached()  # the page cache's one read of the public state, counted elsewhere
    with django_assert_num_queries(1):
        assert client.get(reverse("catalog:theme_list")).status_code == 200
