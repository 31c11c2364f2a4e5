"""Facets with counts (issue 13): the works form says how many works each option leaves and
disables the options that leave none; the API answers `?facets=` with the same counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from catalog.models import Work
from core import publication
from core.pagination import CappedPaginator
from public import facets
from tests.catalog.test_views import text
from tests.catalog.test_views import world as world
from tests.factories import (
    PlaceFactory,
    RecommendationFactory,
    ThemeFactory,
    WorkFactory,
    WorkPlaceFactory,
)

pytestmark = pytest.mark.django_db


def option(html, value):
    """The <option> or checkbox <label> of one value, as rendered."""
    found = re.search(rf'<option value="{value}"[^>]*>[^<]*</option>', html)
    if found:
        return found.group(0)
    found = re.search(rf'<input type="checkbox" name="\w+" value="{value}"[^>]*>\s*[^<]*', html)
    return found.group(0)


def test_each_option_shows_how_many_works_it_leaves_and_none_is_disabled(client, world):
    html = client.get(reverse("catalog:work_list"), {"place": "fujian"}).content.decode()
    # Within Fujian only Opera by the Sea: heritage 1, rural 0 (disabled).
    assert "(1)" in option(html, "intangible-cultural-heritage")
    rural = option(html, "rural-revitalisation")
    assert "(0)" in rural
    assert "disabled" in rural
    # The place facet counts without its own filter: every place stays choosable.
    assert "(1)" in option(html, "zhejiang")
    assert "disabled" not in option(html, "zhejiang")
    # A work counts at its site and at every place above it.
    assert "(1)" in option(html, "fujian")
    assert "(1)" in option(html, "xiamen")
    assert "(1)" in option(html, "travel-with-micro-dramas-4")


def test_a_selected_option_with_no_work_left_can_still_be_unticked(client, world):
    html = client.get(
        reverse("catalog:work_list"), {"theme": "rural-revitalisation", "place": "fujian"}
    ).content.decode()
    rural = option(html, "rural-revitalisation")
    assert "checked" in rural
    assert "disabled" not in rural
    assert "No work matches these filters" in text(
        client.get(
            reverse("catalog:work_list"), {"theme": "rural-revitalisation", "place": "fujian"}
        )
    )


def test_a_work_in_two_cities_of_one_province_counts_once_for_the_province(client, world):
    WorkPlaceFactory(work=world["opera"], place=world["fujian"])  # the province and a site in it
    html = client.get(reverse("catalog:work_list")).content.decode()
    assert "(1)" in option(html, "fujian")


def test_the_chips_remove_one_filter_value_at_a_time(client, world):
    response = client.get(
        reverse("catalog:work_list"),
        {"theme": ["intangible-cultural-heritage", "rural-revitalisation"]},
    )
    chips = dict(
        re.findall(r'<a class="chip" href="([^"]+)"[^>]*>([^<]+)', response.content.decode())
    )
    without_heritage = next(href for href, label in chips.items() if "Intangible" in label)
    assert "rural-revitalisation" in without_heritage
    assert "intangible-cultural-heritage" not in without_heritage


def test_a_filter_error_names_the_filter_as_a_visitor_reads_it(client, world):
    response = client.get(reverse("catalog:work_list"), {"theme_id": "x", "place": "atlantis"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<strong>Theme</strong>" in html
    assert "<strong>Place (includes places inside it)</strong>" in html
    page = text(response)
    assert "slug" not in page
    assert "several mean any of them" not in page


def test_the_facet_queries_do_not_grow_with_the_number_of_works(client, world):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("catalog:work_list"), {"theme": "intangible-cultural-heritage"})
        return len(captured)

    # The places facet adds one conditional count once a place holds two linked places.
    WorkPlaceFactory(work=world["opera"], place=world["xiamen"])
    few = queries()
    for number in range(20):
        work = WorkFactory(title=f"Work {number}", slug=f"work-{number}", year=2000 + number)
        RecommendationFactory(batch=world["batch"], work=work, theme=world["heritage"])
        WorkPlaceFactory(work=work, place=world["xiamen"])
    assert queries() == few


def test_the_facets_count_links_without_joining_the_works_again(world):
    """The link models order by their work's title: grouped with that ordering, each facet
    joined `catalog_work` once more per link (half of a facet's time for a search's 3,065
    works at 1M). A searched list's works are counted by their ids (public.facets.
    _within_the_bound), with no subquery on the works either."""
    ids = list(Work.objects.public().values_list("pk", flat=True))
    for name in ("theme", "place", "organisation", "initiative", "batch"):
        counter, _model = facets.COUNTERS[name]
        with CaptureQueriesContext(connection) as by_queryset:
            counts = counter(Work.objects.public())
        with CaptureQueriesContext(connection) as by_ids:
            assert counter(ids) == counts
        assert counts, name
        assert not [q for q in by_queryset if 'JOIN "catalog_work"' in q["sql"]], name
        assert not [q for q in by_ids if '"catalog_work"' in q["sql"]], name


def test_the_years_a_facet_counts_are_read_once_per_public_state(world, django_assert_num_queries):
    """Which years have works was read from every public work on each count of the year
    facet (1M rows, most of a facet request's 457 ms at 1M)."""
    count_years, _model = facets.COUNTERS["year"]
    counts = count_years(Work.objects.public())
    assert counts["2024"] >= 1
    with django_assert_num_queries(1):  # the count itself
        assert count_years(Work.objects.public()) == counts


#
# API
#


def test_every_page_of_a_faceted_list_reads_its_facets_once_per_public_state(world, settings):
    """The values of the facets (their counts and records) are kept once per public state
    for the list's filters: a later page reads none of them, and a change to anything public
    makes them read again. Six facets cost five record lookups on every page."""
    settings.API_CACHE_SECONDS = 0  # the answers themselves are not kept
    settings.API_ROWS_CACHE_SECONDS = 0  # nor the works' rows (page 2's would be read)
    api = APIClient()
    asked = {"facets": ",".join(facets.FACETS), "page_size": 1}

    def queries(**extra):
        with CaptureQueriesContext(connection) as captured:
            response = api.get("/api/v1/works/", {**asked, **extra})
        assert response.status_code == 200
        return len(captured), response.json().get("facets")

    first, values = queries()
    again, values_again = queries(page=2)
    alone, _ = queries(facets="")  # the same list without its facets

    assert values_again == values
    assert values["batch"][0]["name"] == "Travel with Micro-Dramas, batch 4"
    assert again == alone < first
    # An edit of a public record retires them: the theme is named as it is now.
    theme = world["heritage"]
    theme.name = "Living heritage"
    theme.save()
    publication.record_changed(theme, before={}, was_public=True)  # what the admin's save does
    _, after = queries(page=2)
    assert "Living heritage" in {value["name"] for value in after["theme"]}


def test_api_facets_count_the_current_filter_each_without_its_own(world):
    response = APIClient().get(
        "/api/v1/works/",
        {"facets": "theme,place,organisation,year,batch", "place": "fujian"},
    )
    assert response.status_code == 200
    facets = response.json()["facets"]
    assert {t["slug"]: t["count"] for t in facets["theme"]} == {"intangible-cultural-heritage": 1}
    places = {p["slug"]: p["count"] for p in facets["place"]}
    assert places == {"fujian": 1, "xiamen": 1, "gulangyu": 1, "zhejiang": 1}
    assert {o["slug"] for o in facets["organisation"]} == {"xiamen-studio", "douyin"}
    assert facets["year"] == [{"value": 2024, "count": 1}]
    assert facets["batch"][0]["name"] == "Travel with Micro-Dramas, batch 4"
    assert facets["batch"][0]["name_original"] == "跟着微短剧去旅行 第4批"


def test_api_facets_never_count_a_draft(world):
    facets = APIClient().get("/api/v1/works/", {"facets": "batch,theme"}).json()["facets"]
    assert [b["slug"] for b in facets["batch"]] == ["travel-with-micro-dramas-4"]
    heritage = [t for t in facets["theme"] if t["slug"] == "intangible-cultural-heritage"]
    assert heritage[0]["count"] == 1  # the draft batch's work is not counted


def test_api_without_facets_answers_as_before(world):
    assert "facets" not in APIClient().get("/api/v1/works/").json()


@pytest.mark.parametrize("value", ["colour", "theme,colour", ""])
def test_api_unknown_facet_is_a_400_naming_the_parameter(world, value):
    response = APIClient().get("/api/v1/works/", {"facets": value})
    if not value:
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert "colour" in response.json()["errors"]["facets"][0]


def test_api_facets_are_in_the_schema():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    parameters = schema["paths"]["/api/v1/works/"]["get"]["parameters"]
    assert any(p["name"] == "facets" for p in parameters)


def test_api_facets_with_csv_stream_the_rows_without_counts(world):
    response = APIClient().get("/api/v1/works/", {"facets": "theme", "format": "csv"})
    assert response.status_code == 200
    assert b"Opera by the Sea" in b"".join(response.streaming_content)


#
# Bounded cost: a facet over more works than FACET_BOUND is not counted
#


def test_a_facet_over_more_works_than_the_bound_is_named_not_counted(world, monkeypatch):
    from public import facets

    monkeypatch.setattr(facets, "FACET_BOUND", 1)  # the world holds more public works

    body = APIClient().get("/api/v1/works/", {"facets": "theme,place", "place": "fujian"}).json()

    # Within Fujian (one work) the themes are counted; the place facet counts without its
    # own filter, over every public work: past the bound, named rather than counted.
    assert {t["slug"]: t["count"] for t in body["facets"]["theme"]} == {
        "intangible-cultural-heritage": 1
    }
    assert "place" not in body["facets"]
    assert body["facets_not_counted"] == ["place"]


def test_the_works_page_says_which_filters_it_could_not_count(client, world, monkeypatch):
    from public import facets

    monkeypatch.setattr(facets, "FACET_BOUND", 1)

    response = client.get(reverse("catalog:work_list"), {"place": "fujian"})
    html = response.content.decode()

    assert "the number of works beside each choice shows once the choices cover 1 works" in text(
        response
    )
    # The place options carry no count and none is disabled; the theme options are counted.
    assert "disabled" not in option(html, "zhejiang")
    assert "(1)" in option(html, "intangible-cultural-heritage")


def test_facets_of_a_list_past_the_bound_cost_no_query_beyond_the_list(
    world, monkeypatch, settings
):
    """The list's own page says its filters leave more works than the bound, and the
    facets reuse the values its FilterSet looked up: asking them adds no query (at 1M, a
    facet request looked the theme up again and counted its 130,000 works a second time)."""
    from public import facets

    settings.API_CACHE_SECONDS = 0  # each answer built, also where Redis keeps them (CI)
    monkeypatch.setattr(facets, "FACET_BOUND", 2)
    monkeypatch.setattr(CappedPaginator, "bound", 2)  # the batch lists 3 public works
    client = APIClient()
    params = {"batch": "travel-with-micro-dramas-4", "page_size": 1}

    def asked(**more):
        client.get("/api/v1/works/", params)  # the public state into the cache
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/api/v1/works/", {**params, **more}).json()
        return body, len(queries)

    body, with_facets = asked(facets="theme,year")
    _, without = asked()
    assert body["count_is_capped"] is True
    assert body["facets"] == {}
    assert body["facets_not_counted"] == ["theme", "year"]
    assert with_facets == without


def test_whether_the_whole_catalog_passes_the_bound_is_counted_once_per_public_state(client, world):
    """A list with one filter counts the facet that leaves it out over every public work:
    whether those pass the bound is counted on the first such page after each publication,
    not on every page."""

    def catalog_counts(params):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("catalog:work_list"), params)
        whole = 'FROM "catalog_work" WHERE "catalog_work"."is_public" LIMIT'
        return sum(whole in query["sql"] for query in queries)

    assert catalog_counts({"place": "fujian"}) == 1
    assert catalog_counts({"place": "zhejiang"}) == 0
    assert catalog_counts({"theme": "rural-revitalisation"}) == 0
    WorkFactory(title="Published Later", slug="published-later")  # a new public state
    assert catalog_counts({"place": "zhejiang"}) == 1


def test_the_filters_choices_are_read_once_per_public_state_in_each_language(client, world):
    """The theme, initiative and place choices name every public value: read on the first
    page after each publication, in each language, not on every page."""

    def choices_read(path, params):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(path, params).content.decode()
        read = [q["sql"] for q in queries if 'FROM "catalog_theme"' in q["sql"]]
        return html, len(read)

    html, first = choices_read("/works/", {"place": "fujian"})
    assert first >= 1
    assert 'value="rural-revitalisation"' in html
    html, again = choices_read("/works/", {"place": "zhejiang"})
    assert again == first - 1  # the theme facet's count still reads the themes; the choices not
    assert 'value="rural-revitalisation"' in html
    html, chinese = choices_read("/zh-hans/works/", {"place": "zhejiang"})
    # Named in Chinese: read once more; the facets' counts, in no language, are kept.
    assert chinese == first - 1
    ThemeFactory(name="Festivals", slug="festivals")  # a new public state
    html, after = choices_read("/works/", {"place": "zhejiang"})
    assert after == first
    assert 'value="festivals"' in html


def test_the_place_facet_reads_the_place_tree_once_per_public_state(world, settings):
    """The place facet rolls each count up the tree: the tree is read once per public
    state (a recursive query on every counted place facet), and again once a place is
    published."""
    settings.API_CACHE_SECONDS = 0  # each answer built (with Redis, CI's third run)
    api = APIClient()

    def place_facet():
        with CaptureQueriesContext(connection) as queries:
            body = api.get("/api/v1/works/", {"facets": "place", "theme": "rural-revitalisation"})
        recursive = sum("RECURSIVE" in query["sql"] for query in queries)
        return {p["slug"]: p["count"] for p in body.json()["facets"]["place"]}, recursive

    assert place_facet() == ({"zhejiang": 1}, 1)
    assert place_facet() == ({"zhejiang": 1}, 0)
    ningbo = PlaceFactory(name="Ningbo", slug="ningbo", parent=world["village"].places.get())
    WorkPlaceFactory(work=world["village"], place=ningbo)
    assert place_facet() == ({"zhejiang": 1, "ningbo": 1}, 1)
