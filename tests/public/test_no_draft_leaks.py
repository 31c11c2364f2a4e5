"""Nothing public shows a draft: a draft batch listing a new work with a new theme, place,
organisation and source leaves no trace in any page (both languages), search, sitemap, API
list, detail, filter, cursor page or CSV; publishing shows all of it; taking it back and
deleting it hides all of it again, and the validators a cache held while it was public no
longer match."""

import pytest
from django.test import Client
from django.urls import translate_url

from catalog.models import Organisation, Place, Source, Theme, Work
from core import publication
from initiatives.models import Batch, Initiative
from initiatives.services import batch_publish, batch_unpublish
from tests.factories import (
    BatchFactory,
    BatchThemeCountFactory,
    OrganisationFactory,
    PlaceFactory,
    RecommendationFactory,
    SourceFactory,
    ThemeFactory,
    UserFactory,
    WorkFactory,
    WorkOrganisationFactory,
    WorkPlaceFactory,
)
from tests.sitemaps import sitemap_pages, sitemap_xml

pytestmark = pytest.mark.django_db

SECRET = "Secret Draft"
SECRET_SLUG = "secret-draft"
# Matches every draft name; a search page repeats the query, so it is not the marker itself.
QUERY = "Draft"
API_ENDPOINTS = ["works", "themes", "initiatives", "batches", "places", "organisations"]
PAGES = ["/", "/themes/", "/works/", "/places/", "/initiatives/", "/organisations/"]


@pytest.fixture
def catalog():
    """A small public catalog: a published batch of a public initiative listing a work in a
    public place (inside a province), made by a public producer, citing a public source."""
    theme = ThemeFactory(name="Rural revitalisation", slug="rural")
    batch = BatchFactory(number=1, status=Batch.Status.PUBLISHED)
    BatchThemeCountFactory(batch=batch, theme=theme, announced=2)
    work = WorkFactory(title="A Public Work", slug="a-public-work", themes=[theme])
    RecommendationFactory(batch=batch, work=work, theme=theme)
    province = PlaceFactory(name="Zhejiang", slug="zhejiang", kind=Place.Kind.PROVINCE)
    WorkPlaceFactory(work=work, place=PlaceFactory(name="Ningbo", slug="ningbo", parent=province))
    WorkOrganisationFactory(work=work, organisation=OrganisationFactory(name="A Producer"))
    return batch


@pytest.fixture
def draft(catalog):
    """A draft batch of the same initiative listing a new work whose theme, place,
    organisation and source are new too: all made for this batch, none published."""
    source = SourceFactory(
        title=f"{SECRET} Source", slug=f"{SECRET_SLUG}-source", published_directly=False
    )
    theme = ThemeFactory(
        name=f"{SECRET} Theme", slug=f"{SECRET_SLUG}-theme", published_directly=False
    )
    place = PlaceFactory(
        name=f"{SECRET} Place",
        slug=f"{SECRET_SLUG}-place",
        parent=Place.objects.get(slug="zhejiang"),
        published_directly=False,
    )
    producer = OrganisationFactory(
        name=f"{SECRET} Producer", slug=f"{SECRET_SLUG}-producer", published_directly=False
    )
    work = WorkFactory(
        title=f"{SECRET} Work",
        slug=f"{SECRET_SLUG}-work",
        themes=[theme],
        sources=[source],
        published_directly=False,
    )
    WorkPlaceFactory(work=work, place=place)
    WorkOrganisationFactory(work=work, organisation=producer)
    batch = BatchFactory(
        initiative=catalog.initiative, number=2, status=Batch.Status.DRAFT, sources=[source]
    )
    BatchThemeCountFactory(batch=batch, theme=theme, announced=1, source=source)
    RecommendationFactory(batch=batch, work=work, theme=theme, source=source)
    return batch


def draft_addresses():
    return [
        f"/works/{SECRET_SLUG}-work/",
        f"/themes/{SECRET_SLUG}-theme/",
        f"/places/{SECRET_SLUG}-place/",
        f"/organisations/{SECRET_SLUG}-producer/",
        f"/sources/{SECRET_SLUG}-source/",
        *(
            f"/api/v1/{endpoint}/{SECRET_SLUG}-{kind}/"
            for endpoint, kind in [
                ("works", "work"),
                ("themes", "theme"),
                ("places", "place"),
                ("organisations", "producer"),
            ]
        ),
    ]


def public_addresses():
    """Every address a visitor or partner can reach: the pages, each public record's page in
    both languages, search, the sitemap, and every API list, detail, filter, cursor page and
    CSV."""
    records = [
        *Work.objects.public(),
        *Theme.objects.public(),
        *Place.objects.public(),
        *Organisation.objects.public(),
        *Source.objects.public(),
        *Initiative.objects.public(),
        *Batch.objects.public(),
    ]
    html = [*PAGES, *(record.get_absolute_url() for record in records)]
    html += [f"/search/?q={QUERY}", f"/works/?q={QUERY}", "/works/?place=zhejiang"]
    html += [translate_url(address, "zh-hans") for address in html]
    api = ["/sitemap.xml", *sitemap_pages(Client()), "/api/v1/"]
    for endpoint in API_ENDPOINTS:
        base = f"/api/v1/{endpoint}/"
        api += [base, f"{base}?format=csv", f"{base}?mode=cursor&page_size=1", f"{base}?q={QUERY}"]
    for work in Work.objects.public():
        api.append(f"/api/v1/works/{work.slug}/")
    for model, endpoint in [
        (Theme, "themes"),
        (Place, "places"),
        (Organisation, "organisations"),
        (Initiative, "initiatives"),
        (Batch, "batches"),
    ]:
        api += [f"/api/v1/{endpoint}/{record.slug}/" for record in model.objects.public()]
    api += [
        "/api/v1/works/?theme=rural",
        "/api/v1/works/?place=zhejiang",
        "/api/v1/works/?initiative=" + Initiative.objects.public().first().slug,
        "/api/v1/places/?within=zhejiang",
    ]
    return html + api


def bodies(client, addresses):
    for address in addresses:
        response = client.get(address)
        assert response.status_code in (200, 404), (address, response.status_code)
        content = b"".join(response) if response.streaming else response.content
        yield address, response.status_code, content.decode()


def assert_no_trace(client):
    for address, status, body in bodies(client, public_addresses()):
        assert SECRET not in body, address
        assert SECRET_SLUG not in body, address
        assert status == 200, address
    for address, status, body in bodies(client, draft_addresses()):
        assert status == 404, address
        assert SECRET not in body, address


def test_a_draft_batch_and_everything_new_in_it_stay_invisible_until_published(client, draft):
    assert_no_trace(client)
    # A draft's slug in a filter is answered as a slug that does not exist.
    for name in ["theme", "place", "organisation"]:
        secret = client.get("/api/v1/works/", {name: f"{SECRET_SLUG}-x"})
        missing = client.get("/api/v1/works/", {name: "no-such-record-x"})
        assert secret.status_code == missing.status_code == 400
        assert secret.json()["errors"].keys() == missing.json()["errors"].keys()
    assert not publication.refresh(), "the stored state was not what the rule says"


def test_publishing_shows_the_draft_and_everything_it_shows(client, draft):
    batch_publish(batch=draft, user=UserFactory())

    work_page = client.get(f"/works/{SECRET_SLUG}-work/").content.decode()
    for name in ["Theme", "Place", "Producer", "Source"]:
        assert f"{SECRET} {name}" in work_page
    for address in draft_addresses():
        assert client.get(address).status_code == 200, address
    assert f"{SECRET} Place" in client.get("/places/").content.decode()
    assert f"{SECRET} Work" in client.get("/search/", {"q": QUERY}).content.decode()
    assert f"{SECRET_SLUG}-work" in sitemap_xml(client)
    titles = [w["title"] for w in client.get("/api/v1/works/").json()["results"]]
    assert f"{SECRET} Work" in titles
    assert not publication.refresh(), "the stored state was not what the rule says"


def test_taking_it_back_and_deleting_it_hides_it_again_and_changes_both_validators(
    client, admin_client, draft
):
    batch_publish(batch=draft, user=UserFactory())
    watched = ["/api/v1/works/", "/api/v1/places/", "/api/v1/organisations/", "/api/v1/themes/"]
    held = {address: client.get(address) for address in watched}

    batch_unpublish(batch=draft, user=UserFactory())
    response = admin_client.post(f"/admin/initiatives/batch/{draft.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Batch.objects.filter(pk=draft.pk).exists()

    assert_no_trace(client)
    for address, response in held.items():
        assert client.get(address, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 200
        since = response["Last-Modified"]
        assert client.get(address, HTTP_IF_MODIFIED_SINCE=since).status_code == 200
    assert not publication.refresh(), "the stored state was not what the rule says"


def test_deleting_a_draft_batch_or_its_listing_reveals_nothing(client, admin_client, draft):
    listing = draft.recommendations.get()
    response = admin_client.post(
        f"/admin/initiatives/recommendation/{listing.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert_no_trace(client)

    response = admin_client.post(f"/admin/initiatives/batch/{draft.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert_no_trace(client)
