"""The contract: one record of each main kind pinned as literal JSON. A change here is a
change partners see; make it on purpose (and in docs/api.md)."""

import datetime
from decimal import Decimal

import pytest

from catalog.models import Place, Work, WorkOrganisation, WorkPlace, WorkTitle
from initiatives.models import Batch, Figure, Initiative, InitiativeOrganisation
from tests.factories import (
    BatchFactory,
    BatchThemeCountFactory,
    FigureFactory,
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
)

pytestmark = pytest.mark.django_db

CREATED = datetime.datetime(2024, 10, 12, 8, 0, tzinfo=datetime.UTC)
UPDATED = datetime.datetime(2024, 11, 1, 9, 30, tzinfo=datetime.UTC)


def pin_times(*objects):
    for obj in objects:
        type(obj).objects.filter(pk=obj.pk).update(created_at=CREATED, updated_at=UPDATED)


@pytest.fixture
def catalog():
    source = SourceFactory(
        slug="paper-2024-10-12",
        title="Fourth batch of Travel with Micro-Dramas announced",
        publisher="The Paper",
        published_on=datetime.date(2024, 10, 12),
        url="https://example.org/news/1",
        language="en",
    )
    heritage = ThemeFactory(
        slug="intangible-cultural-heritage",
        name="Intangible cultural heritage",
        name_original="非遗",
        position=3,
    )
    rural = ThemeFactory(slug="rural-revitalisation", name="Rural revitalisation", position=1)
    initiative = InitiativeFactory(
        slug="travel-with-micro-dramas",
        name="Travel with Micro-Dramas",
        name_original="跟着微短剧去旅行",
        sources=[source],
    )
    nrta = OrganisationFactory(
        slug="nrta",
        name="National Radio and Television Administration",
        name_original="国家广播电视总局",
        kind="regulator",
    )
    InitiativeOrganisationFactory(
        initiative=initiative, organisation=nrta, role=InitiativeOrganisation.Role.INITIATOR
    )
    batch = BatchFactory(
        initiative=initiative,
        number=4,
        announced_on=datetime.date(2024, 10, 12),
        event="Micro-drama forum",
        total_announced=55,
        total_basis="stated",
        total_source=source,
        total_excerpt="55 works were announced",
        running_total=114,
        running_total_basis="derived",
        running_total_arithmetic="59 after three batches + 55 = 114",
        sources=[source],
    )
    BatchThemeCountFactory(batch=batch, theme=rural, announced=4)
    BatchThemeCountFactory(batch=batch, theme=heritage, announced=15)
    fujian = PlaceFactory(slug="fujian", name="Fujian", name_original="福建", kind="province")
    xiamen = PlaceFactory(
        slug="xiamen",
        name="Xiamen",
        name_original="厦门",
        kind=Place.Kind.CITY,
        parent=fujian,
        code="350200",
        latitude=Decimal("24.479800"),
        longitude=Decimal("118.089400"),
        coordinates_basis=Place.CoordinatesBasis.GAZETTEER,
    )
    work = WorkFactory(
        slug="the-tea-road",
        title="The Tea Road",
        title_original="茶路",
        synopsis="A tea master's apprentice returns to Xiamen.",
        season=2,
        episodes=24,
        episode_minutes=Decimal("2.5"),
        year=2024,
        themes=[heritage],
        sources=[source],
    )
    WorkPlaceFactory(work=work, place=xiamen, relation=WorkPlace.Relation.FILMED_AT)
    WorkTitle.objects.create(
        work=work, title="茶路", language="zh-Hans", source=source, excerpt="微短剧《茶路》入选"
    )
    figure = FigureFactory(
        slug="micro-drama-users",
        label="Micro-drama users in China",
        value=Decimal("576000000"),
        qualifier=Figure.Qualifier.EXACT,
        unit="users",
        display="576 million",
        period="October 2024",
        quote="the number of micro-drama users has reached 576 million",
        attributed_to="Dong Xin",
        speaker_position="Deputy Director of the National Radio and Television Administration",
        initiative=initiative,
        place=fujian,
        source=source,
    )
    douyin = OrganisationFactory(
        slug="douyin", name="Douyin", name_original="抖音", kind="platform"
    )
    WorkOrganisationFactory(
        work=work,
        organisation=douyin,
        role=WorkOrganisation.Role.PLATFORM,
        url="https://www.douyin.com/example",
    )
    RecommendationFactory(batch=batch, work=work, theme=heritage)
    pin_times(
        source, heritage, rural, initiative, nrta, batch, fujian, xiamen, work, douyin, figure
    )
    return {
        "work": work,
        "batch": batch,
        "initiative": initiative,
        "xiamen": xiamen,
        "figure": figure,
    }


SOURCE = {
    "slug": "paper-2024-10-12",
    "title": "Fourth batch of Travel with Micro-Dramas announced",
    "publisher": "The Paper",
    "published_on": "2024-10-12",
    "url": "https://example.org/news/1",
    "language": "en",
}
HERITAGE = {
    "slug": "intangible-cultural-heritage",
    "name": "Intangible cultural heritage",
    "name_original": "非遗",
}
INITIATIVE = {
    "slug": "travel-with-micro-dramas",
    "name": "Travel with Micro-Dramas",
    "name_original": "跟着微短剧去旅行",
}
# Times come in the site's time zone (Asia/Shanghai), ISO 8601 with the offset.
CREATED_JSON = "2024-10-12T16:00:00+08:00"
UPDATED_JSON = "2024-11-01T17:30:00+08:00"


def test_a_work_has_its_recommendations_themes_places_organisations_sources_and_url(api, catalog):
    work = catalog["work"]

    response = api.get("/api/v1/works/the-tea-road/")

    assert response.status_code == 200
    assert response.json() == {
        "id": work.pk,
        "slug": "the-tea-road",
        "url": "http://testserver/works/the-tea-road/",
        "title": "The Tea Road",
        "title_original": "茶路",
        "titles": [
            {
                "title": "茶路",
                "language": "zh-Hans",
                "source": SOURCE,
                "excerpt": "微短剧《茶路》入选",
            }
        ],
        "synopsis": "A tea master's apprentice returns to Xiamen.",
        "season": 2,
        "episodes": 24,
        "episode_minutes": 2.5,
        "year": 2024,
        "themes": [HERITAGE],
        "places": [
            {
                "slug": "xiamen",
                "name": "Xiamen",
                "name_original": "厦门",
                "kind": "city",
                "relation": "filmed_at",
            }
        ],
        "organisations": [
            {
                "slug": "douyin",
                "name": "Douyin",
                "name_original": "抖音",
                "kind": "platform",
                "role": "platform",
                "watch_url": "https://www.douyin.com/example",
            }
        ],
        "recommendations": [
            {
                "initiative": INITIATIVE,
                "batch": {
                    "slug": "travel-with-micro-dramas-4",
                    "number": 4,
                    "announced_on": "2024-10-12",
                    "announced_precision": "day",
                },
                "theme": HERITAGE,
                "date": "2024-10-12",
            }
        ],
        "sources": [SOURCE],
        "created_at": CREATED_JSON,
        "updated_at": UPDATED_JSON,
    }


def test_a_batch_shows_announced_and_listed_counts_per_theme(api, catalog):
    batch = catalog["batch"]

    response = api.get("/api/v1/batches/travel-with-micro-dramas-4/")

    assert response.status_code == 200
    assert response.json() == {
        "id": batch.pk,
        "slug": "travel-with-micro-dramas-4",
        "url": "http://testserver/initiatives/travel-with-micro-dramas/batches/4/",
        "initiative": INITIATIVE,
        "number": 4,
        "announced_on": "2024-10-12",
        "announced_precision": "day",
        "event": "Micro-drama forum",
        "total_announced": 55,
        "total_basis": "stated",
        "total_arithmetic": "",
        "total_source": SOURCE,
        "total_excerpt": "55 works were announced",
        "running_total": 114,
        "running_total_basis": "derived",
        "running_total_arithmetic": "59 after three batches + 55 = 114",
        "running_total_source": None,
        "running_total_excerpt": "",
        "announced_by_theme": 19,
        "listed_count": 1,
        "themes": [
            {
                "slug": "rural-revitalisation",
                "name": "Rural revitalisation",
                "name_original": "",
                "announced": 4,
                "listed": 0,
            },
            {**HERITAGE, "announced": 15, "listed": 1},
        ],
        "listed_without_theme": 0,
        "works_url": "http://testserver/api/v1/works/?batch=travel-with-micro-dramas-4",
        "sources": [SOURCE],
        "published_at": None,
        "created_at": CREATED_JSON,
        "updated_at": UPDATED_JSON,
    }


def test_an_initiative_shows_its_organisations_and_published_batches_only(api, catalog):
    BatchFactory(initiative=catalog["initiative"], number=5, status=Batch.Status.DRAFT)
    Initiative.objects.filter(pk=catalog["initiative"].pk).update(updated_at=UPDATED)

    body = api.get("/api/v1/initiatives/travel-with-micro-dramas/").json()

    assert body["organisations"] == [
        {
            "slug": "nrta",
            "name": "National Radio and Television Administration",
            "name_original": "国家广播电视总局",
            "kind": "regulator",
            "role": "initiator",
        }
    ]
    assert body["batches"] == [
        {
            "slug": "travel-with-micro-dramas-4",
            "number": 4,
            "announced_on": "2024-10-12",
            "announced_precision": "day",
        }
    ]


def test_a_place_shows_its_parent_and_coordinates(api, catalog):
    xiamen = catalog["xiamen"]

    response = api.get("/api/v1/places/xiamen/")

    assert response.json() == {
        "id": xiamen.pk,
        "slug": "xiamen",
        "url": "http://testserver/places/xiamen/",
        "name": "Xiamen",
        "name_original": "厦门",
        "kind": "city",
        "code": "350200",
        "parent": {
            "slug": "fujian",
            "name": "Fujian",
            "name_original": "福建",
            "kind": "province",
        },
        "latitude": 24.4798,
        "longitude": 118.0894,
        "coordinates_basis": "gazetteer",
        "description": "",
        "sources": [],
        "created_at": CREATED_JSON,
        "updated_at": UPDATED_JSON,
    }


def test_a_figure_says_who_said_it_their_position_the_period_and_the_source(api, catalog):
    figure = catalog["figure"]

    response = api.get("/api/v1/figures/micro-drama-users/")

    assert response.status_code == 200
    assert response.json() == {
        "id": figure.pk,
        "slug": "micro-drama-users",
        "label": "Micro-drama users in China",
        "value": "576000000.0000",
        "qualifier": "exact",
        "unit": "users",
        "display": "576 million",
        "period": "October 2024",
        "quote": "the number of micro-drama users has reached 576 million",
        "attributed_to": "Dong Xin",
        "speaker_position": "Deputy Director of the National Radio and Television Administration",
        "place": {"slug": "fujian", "name": "Fujian", "name_original": "福建", "kind": "province"},
        "initiative": INITIATIVE,
        "source": SOURCE,
        "created_at": CREATED_JSON,
        "updated_at": UPDATED_JSON,
    }


def test_a_work_url_is_the_english_page_whatever_the_accept_language(api, catalog):
    body = api.get("/api/v1/works/the-tea-road/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()

    assert body["url"] == "http://testserver/works/the-tea-road/"


def test_a_work_listed_only_in_a_draft_batch_is_hidden_everywhere(api):
    draft = BatchFactory(status=Batch.Status.DRAFT)
    hidden = RecommendationFactory(batch=draft).work
    shown = WorkFactory()

    listed = api.get("/api/v1/works/").json()
    detail = api.get(f"/api/v1/works/{hidden.slug}/")
    batches = api.get("/api/v1/batches/").json()
    draft_detail = api.get(f"/api/v1/batches/{draft.slug}/")
    by_batch = api.get("/api/v1/works/", {"batch": draft.slug})
    csv = b"".join(api.get("/api/v1/works/", {"format": "csv"}).streaming_content).decode()

    assert [w["slug"] for w in listed["results"]] == [shown.slug]
    assert detail.status_code == 404
    assert batches["count"] == 0
    assert draft_detail.status_code == 404
    assert by_batch.status_code == 400  # a draft is not a valid choice
    assert hidden.slug not in csv
    assert Work.objects.count() == 2


def test_a_published_work_does_not_show_its_draft_recommendations(api):
    work = RecommendationFactory().work
    RecommendationFactory(work=work, batch=BatchFactory(status=Batch.Status.DRAFT))

    body = api.get(f"/api/v1/works/{work.slug}/").json()

    assert len(body["recommendations"]) == 1


def test_a_list_in_the_sites_language_activates_no_other_for_its_urls(api, monkeypatch):
    """Each record's `url` is its page in the site's language; when that is the language of
    the request, no language is activated per record (40 µs each)."""
    from django.utils import translation

    works = [WorkFactory() for _ in range(3)]
    activated = []
    activate = translation.activate
    monkeypatch.setattr(
        translation, "activate", lambda code: activated.append(code) or activate(code)
    )

    listed = api.get("/api/v1/works/", HTTP_ACCEPT_LANGUAGE="en").json()["results"]

    assert sorted(w["url"] for w in listed) == sorted(
        f"http://testserver/works/{work.slug}/" for work in works
    )
    assert activated.count("en") <= 1  # the request's own, by LocaleMiddleware
