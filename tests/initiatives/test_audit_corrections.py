"""The audit of the seed against its two documents (issue 12, part 3): each correction holds,
in the data and on the page a visitor reads."""

import datetime
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from catalog.models import Organisation, Place, WorkPlace
from initiatives.models import Figure, Initiative, InitiativeOrganisation
from tests.factories import BatchFactory, BatchThemeCountFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    body = body[body.index("<main") : body.index("</main>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_glazed_beauty_is_not_said_to_be_filmed_in_new_york(catalog_data, client):
    assert not WorkPlace.objects.filter(work__slug="glazed-beauty").exists()
    page = text(client.get("/works/glazed-beauty/"))
    assert "New York" not in page
    # What the article does say: the company's practice, on the company's page.
    assert "then filmed and produced in New York, USA" in text(
        client.get("/organisations/spring-reel/")
    )


def test_spring_reels_founder_stays_as_ambiguous_as_the_article(catalog_data, client):
    spring_reel = Organisation.objects.get(slug="spring-reel")
    assert "founded by Xili Quanming" not in spring_reel.description
    page = text(client.get("/organisations/spring-reel/"))
    assert "leaves open whether Tang Amber or Xili Quanming founded it" in page


def test_place_pages_group_works_by_the_relation_the_source_gives(catalog_data, client):
    page = text(client.get("/places/beijing/"))
    assert "filmed or set here" not in page
    from_here = page.index("From here: made or put forward by the place")
    assert "Qiliang's Life" in page[from_here:]
    assert "Filmed here" not in page  # nothing in Beijing is said to be filmed there
    fujian = text(client.get("/places/fujian/"))
    assert "Featured: the work shows the place or names it" in fujian
    assert "Come to Fujian, Happiness is Enough" in fujian


@pytest.mark.parametrize(
    "url",
    ["/", "/places/ningbo/", "/places/beijing/", "/sources/"],
)
def test_figures_show_who_said_them_their_position_and_the_period(catalog_data, client, url):
    if url == "/sources/":
        url = reverse(
            "catalog:source_detail",
            args=["brand-through-micro-drama-launch-and-how-to-empower-forum"],
        )
    page = text(client.get(url))
    figures = Figure.objects.exclude(attributed_to="").exclude(speaker_position="")
    shown = [f for f in figures if f.quote in page]
    assert shown, url
    for figure in shown:
        assert f"Said by {figure.attributed_to}, {figure.speaker_position}" in page, figure.slug
        if figure.period:
            assert figure.period in page, figure.slug


def test_ying_jian_yongs_full_position_is_shown(catalog_data, client):
    figure = Figure.objects.get(slug="ningbo-drama-teams-rewarded")
    assert figure.speaker_position.endswith("and Director of the Ningbo Cultural Relics Bureau")
    assert "and Director of the Ningbo Cultural Relics Bureau" in text(
        client.get("/places/ningbo/")
    )


def test_the_market_size_figure_is_an_estimate(catalog_data, client):
    figure = Figure.objects.get(slug="micro-drama-market-size-2024")
    assert figure.qualifier == Figure.Qualifier.ESTIMATE
    page = text(client.get("/sources/zhejiang-micro-dramas-small-promotes-big/"))
    assert "50.44 billion yuan estimate" in page


@pytest.mark.parametrize(
    ("url", "fact"),
    [
        ("/works/qiliangs-life/", "the country's first micro-drama employing virtual production"),
        ("/works/future-revelation-from-sanxingdui/", "generative artificial intelligence"),
        (
            "/works/take-you-to-a-good-place/",
            "the tourist reception volume of the filming locations such as Yuyuan Ancient "
            "Village and Huatian Meidi in the drama has significantly increased",
        ),
        (
            "/initiatives/quality-eastern-micro-theater/batches/1/",
            "Zhou Jie, chief editor of Shanghai Radio and Television Station, revealed",
        ),
    ],
)
def test_facts_once_kept_in_editorial_notes_are_on_the_page(catalog_data, client, url, fact):
    assert fact in text(client.get(url))


def test_the_chinese_initiative_names_cite_a_source_that_gives_them(catalog_data, client):
    for slug, name in [
        ("travel-with-micro-dramas", "跟着微短剧去旅行"),
        ("brand-through-micro-drama", "微短剧里看品牌"),
    ]:
        initiative = Initiative.objects.get(slug=slug)
        assert initiative.name_original == name
        assert "name comes from the project brief" not in initiative.notes
        page = text(client.get(initiative.get_absolute_url()))
        cited = [s for s in initiative.sources.all() if s.url]
        assert cited, slug
        assert any(s.title in page for s in cited), slug


def test_nrta_is_described_in_the_sources_words(catalog_data):
    nrta = Organisation.objects.get(slug="nrta")
    assert "state regulator" not in nrta.description
    assert nrta.name_original == "国家广播电视总局"


def test_yuyuan_and_huatian_meidi_say_why_they_are_under_wuyi_county(catalog_data, client):
    for slug in ["yuyuan-ancient-village", "huatian-meidi"]:
        place = Place.objects.get(slug=slug)
        assert place.parent.slug == "wuyi-county"
        assert "Wuyi County's micro-drama" in place.notes
        assert place.coordinates_basis == Place.CoordinatesBasis.ENCLOSING
    docs = (Path(settings.BASE_DIR) / "docs" / "seed-data.md").read_text(encoding="utf-8")
    assert "Yuyuan Ancient Village and Huatian Meidi" in docs


def test_haihun_line_is_shown_as_its_first_season_on_cards_and_batch_pages(catalog_data, client):
    batch_page = text(client.get("/initiatives/travel-with-micro-dramas/batches/4/"))
    assert "Haihun Line (Season 1)" in batch_page
    theme_page = text(client.get("/themes/historical-and-cultural-stories/"))
    assert "Haihun Line (Season 1)" in theme_page


def test_drama_spotlight_was_launched_with_yuan_shen_video(catalog_data, client):
    link = InitiativeOrganisation.objects.get(
        initiative__slug="drama-spotlight", organisation__slug="yuan-shen-video"
    )
    assert "Yuan Shen Video" in link.excerpt
    assert "Yuan Shen Video" in text(client.get("/initiatives/drama-spotlight/"))


def test_brand_through_micro_drama_announced_its_projects(catalog_data, client):
    page = text(client.get("/initiatives/brand-through-micro-drama/"))
    assert "announcing the micro-drama projects of this plan" in page


def test_a_batch_with_per_theme_counts_but_no_total_shows_at_least_their_sum(client):
    batch = BatchFactory(number=5, total_announced=None, announced_on=datetime.date(2026, 1, 15))
    first = BatchThemeCountFactory(batch=batch, announced=4)
    BatchThemeCountFactory(batch=batch, announced=15)
    RecommendationFactory(batch=batch, theme=first.theme)

    batch_page = text(client.get(batch.get_absolute_url()))
    initiative_page = text(client.get(batch.initiative.get_absolute_url()))

    for page in (batch_page, initiative_page):
        assert "at least 19 announced (per-theme counts) · 1 listed" in page
        assert "announced count not given" not in page


def test_a_derived_count_says_so_with_its_arithmetic(catalog_data, client):
    page = text(client.get("/initiatives/travel-with-micro-dramas/"))
    assert "79 announced (derived) · 10 listed" in page
    assert "335 after seven batches (剧短短) − 94 in batch 7 (长三角时讯)" in page
    batch_page = text(client.get("/initiatives/travel-with-micro-dramas/batches/1/"))
    assert "Derived from other counts, not stated by a source" in batch_page
    api = client.get("/api/v1/batches/travel-with-micro-dramas-1/").json()
    assert (api["total_announced"], api["total_basis"]) == (7, "derived")
    assert "28 after two batches" in api["total_arithmetic"]
