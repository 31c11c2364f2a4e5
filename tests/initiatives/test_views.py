"""Home, initiatives and batches: announced against listed, never more than the sources say."""

import re

import pytest
from django.urls import reverse

from catalog.models import Work
from core.models import PublicState
from initiatives.models import Batch, DatePrecision, InitiativeOrganisation
from tests.catalog.test_views import text
from tests.factories import (
    BatchFactory,
    BatchThemeCountFactory,
    FigureFactory,
    InitiativeFactory,
    InitiativeOrganisationFactory,
    OrganisationFactory,
    RecommendationFactory,
    ThemeFactory,
    WorkFactory,
    published_at_the_end,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def travel():
    with published_at_the_end():
        return _travel()


def _travel():
    heritage = ThemeFactory(
        name="Intangible cultural heritage", slug="intangible-cultural-heritage"
    )
    urban = ThemeFactory(name="Urban civilisation", slug="urban-civilisation")
    initiative = InitiativeFactory(
        name="Travel with Micro-Dramas",
        name_original="跟着微短剧去旅行",
        slug="travel-with-micro-dramas",
        launched_on="2024-09-01",
        launched_precision=DatePrecision.MONTH,
        aims="Promote travel through micro-dramas.",
    )
    initiative.themes.set([heritage, urban])
    nrta = OrganisationFactory(name="NRTA", slug="nrta", kind="regulator")
    InitiativeOrganisationFactory(
        initiative=initiative,
        organisation=nrta,
        role=InitiativeOrganisation.Role.GUIDING_AUTHORITY,
    )
    batch = BatchFactory(
        initiative=initiative,
        number=4,
        total_announced=55,
        announced_on="2024-10-12",
        event="How to Empower forum",
    )
    BatchThemeCountFactory(batch=batch, theme=heritage, announced=15)
    BatchThemeCountFactory(batch=batch, theme=urban, announced=11)
    lion = WorkFactory(title="The Sixth Awakened Lion", slug="lion")
    bricks = WorkFactory(title="Carry Bricks, Young Lady!", slug="bricks")
    RecommendationFactory(batch=batch, work=lion, theme=heritage)
    RecommendationFactory(batch=batch, work=bricks, theme=heritage)
    RecommendationFactory(batch=batch, work=WorkFactory(title="Reunion"), theme=None)
    draft = BatchFactory(initiative=initiative, number=5, status=Batch.Status.DRAFT)
    RecommendationFactory(batch=draft, work=WorkFactory(title="Unpublished Work"), theme=urban)
    FigureFactory(display="576 million", label="Micro-drama users")
    return {"initiative": initiative, "batch": batch, "heritage": heritage, "urban": urban}


def add_batches(initiative, count, theme):
    start = initiative.batches.count() + 10
    for number in range(start, start + count):
        batch = BatchFactory(initiative=initiative, number=number)
        BatchThemeCountFactory(batch=batch, theme=theme, announced=2)
        RecommendationFactory(batch=batch, theme=theme)


#
# Home
#


def test_home_lists_initiatives_with_their_published_batches_and_theme_counts(client, travel):
    page = text(client.get(reverse("initiatives:home")))
    assert "Travel with Micro-Dramas 跟着微短剧去旅行" in page
    assert "Batch 4" in page
    assert "55 announced · 3 listed" in page
    assert "Intangible cultural heritage 15" in page
    assert "Batch 5" not in page


def test_home_shows_themes_with_work_counts_the_latest_batch_and_figures(client, travel):
    page = text(client.get(reverse("initiatives:home")))
    assert "Intangible cultural heritage 2 works" in page
    assert "Urban civilisation 0 works" in page  # the draft batch's work is not counted
    assert "Latest batch Travel with Micro-Dramas, batch 4 · Oct. 12, 2024" in page
    assert "576 million" in page
    assert "Micro-drama users" in page


def test_home_takes_the_same_number_of_queries_for_1_and_10_batches(
    client, travel, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        client.get(reverse("initiatives:home"))
    add_batches(travel["initiative"], 9, travel["urban"])
    InitiativeFactory.create_batch(5)
    with django_assert_max_num_queries(10):
        client.get(reverse("initiatives:home"))


#
# Initiatives
#


def test_initiative_list_fetches_only_what_it_shows(client, travel, django_assert_num_queries):
    PublicState.cached()  # the page cache's one read of the public state, counted elsewhere
    # The initiatives and their published batches.
    with django_assert_num_queries(2):
        assert client.get(reverse("initiatives:initiative_list")).status_code == 200


def test_initiative_list_shows_each_initiative_and_its_batches(client, travel):
    page = text(client.get(reverse("initiatives:initiative_list")))
    assert "Travel with Micro-Dramas 跟着微短剧去旅行" in page
    assert "Batch 4 · 55 announced · 3 listed" in page


def test_initiative_page_shows_who_runs_it_when_it_started_its_themes_and_batches(client, travel):
    response = client.get(
        reverse("initiatives:initiative_detail", args=["travel-with-micro-dramas"])
    )
    page = text(response)
    assert "Launched September 2024" in page  # month precision: no invented day
    assert "Who guides and runs it Guiding authority NRTA" in page
    assert "Themes Intangible cultural heritage Urban civilisation" in page
    assert "Batch 4 Oct. 12, 2024 How to Empower forum 55 announced · 3 listed" in page
    assert "Batch 5" not in page


@pytest.mark.parametrize(
    ("precision", "shown"),
    [(DatePrecision.DAY, "Sept. 1, 2024"), (DatePrecision.YEAR, "Launched 2024")],
)
def test_launch_date_is_shown_as_precisely_as_the_source_gives_it(client, travel, precision, shown):
    travel["initiative"].launched_precision = precision
    travel["initiative"].save()
    page = text(client.get(travel["initiative"].get_absolute_url()))
    assert shown in page


def test_unknown_initiative_is_a_404(client, travel):
    assert client.get("/initiatives/no-such-plan/").status_code == 404


def test_initiative_pages_take_the_same_number_of_queries_for_1_and_10_batches(
    client, travel, django_assert_max_num_queries
):
    url = travel["initiative"].get_absolute_url()
    with django_assert_max_num_queries(12):
        client.get(url)
    with django_assert_max_num_queries(6):
        client.get(reverse("initiatives:initiative_list"))
    add_batches(travel["initiative"], 9, travel["urban"])
    with django_assert_max_num_queries(12):
        client.get(url)
    with django_assert_max_num_queries(6):
        client.get(reverse("initiatives:initiative_list"))


#
# A batch
#


def test_batch_page_shows_date_event_and_announced_against_listed_per_theme(client, travel):
    response = client.get(reverse("initiatives:batch_detail", args=["travel-with-micro-dramas", 4]))
    assert response.status_code == 200
    page = text(response)
    assert "Announced on Oct. 12, 2024" in page
    assert "Event How to Empower forum" in page
    assert "Intangible cultural heritage 15 2 15 announced · 2 listed" in page
    assert "Urban civilisation 11 0 11 announced · 0 listed" in page
    assert "Total 55 3" in page


def test_batch_page_groups_works_by_theme_and_shows_works_without_a_theme_as_such(client, travel):
    page = text(client.get(travel["batch"].get_absolute_url()))
    assert (
        "Intangible cultural heritage 15 announced · 2 listed "
        "Carry Bricks, Young Lady! The Sixth Awakened Lion"
    ) in page
    assert (
        "Urban civilisation 11 announced · 0 listed The sources name none of these works yet."
        in page
    )
    assert "No theme given by the source Reunion" in page


def test_batch_without_a_declared_total_says_so_rather_than_inventing_one(client, travel):
    batch = BatchFactory(initiative=travel["initiative"], number=1, total_announced=None)
    RecommendationFactory(batch=batch, theme=None)
    page = text(client.get(batch.get_absolute_url()))
    assert "announced count not given · 1 listed" in page


@pytest.mark.parametrize(
    "url",
    [
        "/initiatives/travel-with-micro-dramas/batches/5/",  # a draft
        "/initiatives/travel-with-micro-dramas/batches/99/",
        "/initiatives/no-such-plan/batches/4/",
        "/initiatives/travel-with-micro-dramas/batches/four/",
    ],
)
def test_draft_unknown_or_malformed_batch_is_a_404(client, travel, url):
    assert client.get(url).status_code == 404


def test_batch_page_takes_the_same_number_of_queries_for_3_and_30_works(
    client, travel, django_assert_max_num_queries
):
    url = travel["batch"].get_absolute_url()
    with django_assert_max_num_queries(8):
        client.get(url)
    for _ in range(27):
        RecommendationFactory(batch=travel["batch"], theme=travel["urban"])
    with django_assert_max_num_queries(8):
        page = text(client.get(url))
    assert "11 announced · 27 listed" in page or "27" in page


def test_chinese_batch_page_uses_chinese_words_for_announced_and_listed(client, travel):
    page = text(client.get("/zh-hans" + travel["batch"].get_absolute_url()))
    assert "公布 15 部 · 收录 2 部" in page
    assert "跟着微短剧去旅行" in page


def test_only_published_works_count_on_the_site(travel):
    assert not Work.objects.public().filter(title="Unpublished Work").exists()


def test_batch_title_names_the_initiative_and_number(client, travel):
    html = client.get(travel["batch"].get_absolute_url()).content.decode()
    assert re.search(
        r"<title>Travel with Micro-Dramas, batch 4 · Micro-Drama Catalog</title>", html
    )


def test_initiative_cards_and_page_show_the_newest_batches_and_lead_to_the_rest(
    client, travel, monkeypatch
):
    """An initiative of 2,012 batches made a home page of 3.7 MB and its own page of 2.1 MB:
    cards show the newest few, the page the newest many, each saying how many there are and
    where the rest are; no page reads the batches it does not show."""
    from django.db.models.signals import post_init

    from public.views import initiatives as views

    monkeypatch.setattr(views, "BATCHES_ON_CARDS", 2)
    monkeypatch.setattr(views, "BATCHES_ON_PAGE", 3)
    add_batches(travel["initiative"], 4, travel["urban"])  # 12 to 15, beside 4 (and draft 5)
    loaded = []

    def count(sender, **kwargs):
        loaded.append(sender)

    post_init.connect(count, sender=Batch)
    try:
        home = text(client.get(reverse("initiatives:home")))
        listing = text(client.get(reverse("initiatives:initiative_list")))
        page = text(client.get(travel["initiative"].get_absolute_url()))
    finally:
        post_init.disconnect(count, sender=Batch)
    for card in (home, listing):
        assert "Batch 15" in card
        assert "Batch 14" in card
        assert "Batch 13" not in card
        assert "The newest 2 of 5 batches; all of them on the initiative's page" in card
    assert "The newest 3 of its 5 batches. All of them as CSV" in page
    assert re.search(r"Batch 13 .*Batch 14 .*Batch 15 ", page)
    assert "Batch 12 " not in page
    # Each page's shown batches, and the home page's latest batch: never all five each.
    assert len(loaded) <= 2 + 1 + 2 + 3
