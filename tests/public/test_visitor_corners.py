"""The visitor's broken corners (issue 13): pages that spent their space on nothing, and the
language switch and sort order pinned again from the visitor's side."""

import re

import pytest
from django.urls import reverse

from catalog.models import Place
from tests.catalog.test_views import text
from tests.catalog.test_views import world as world
from tests.factories import InitiativeFactory, PlaceFactory, WorkFactory, WorkPlaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(world):
    """A public initiative with no published batch (an initiative is public on its own)."""
    initiative = InitiativeFactory(name="Quiet Plan", slug="quiet-plan")
    from core.publication import refresh

    refresh()
    return initiative


@pytest.mark.parametrize("url", ["/", "/initiatives/"])
def test_initiatives_without_a_published_batch_are_a_short_list_not_cards(client, waiting, url):
    html = client.get(url).content.decode()
    assert "No published batch yet." not in html
    cards = re.findall(r'<article class="card[^"]*">.*?</article>', html, re.S)
    assert any("Travel with Micro-Dramas" in card for card in cards)
    assert not any("Quiet Plan" in card for card in cards)
    waiting_list = html[html.index('id="waiting-heading"') :]
    assert 'href="/initiatives/quiet-plan/"' in waiting_list
    # Cards come first, the short list after.
    assert html.index("Travel with Micro-Dramas") < html.index("Quiet Plan")


def test_places_without_public_works_are_left_out_of_the_places_list(client, world):
    PlaceFactory(name="Empty Province", slug="empty-province", kind="province")
    assert Place.objects.public().filter(slug="empty-province").exists()
    page = text(client.get(reverse("catalog:place_list")))
    assert "Empty Province" not in page
    assert "Fujian" in page  # through its site Gulangyu
    assert "Gulangyu" in page
    assert "Zhejiang" in page


@pytest.mark.parametrize("path", ["/api/redoc/", "/api/docs/"])
def test_the_api_docs_pages_name_no_remote_host(client, path):
    """Issue 13: /api/redoc/ loaded fonts.googleapis.com and cdn.redoc.ly."""
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    addresses = re.findall(r'(?:src|href|spec-url|url)=["\']([^"\']+)', html)
    assert addresses
    assert all(not re.match(r"(https?:)?//", address) for address in addresses), addresses
    assert "googleapis" not in html
    assert "cdn.redoc.ly" not in html
    policy = response["Content-Security-Policy"]
    img_src = re.search(r"img-src ([^;]+)", policy).group(1).split()
    assert all(source in ("'self'", "data:") for source in img_src)


def test_a_filter_chip_names_its_value_as_the_options_do_in_the_pages_language(client):
    """A chip on /zh-hans/works/ said "Ningbo": the record's English name, not the option's."""
    ningbo = PlaceFactory(slug="ningbo", name="Ningbo", name_original="宁波")
    WorkPlaceFactory(work=WorkFactory(title="Ningbo in 144 Hours"), place=ningbo)

    chinese = text(client.get("/zh-hans/works/", {"place": "ningbo"}))
    english = text(client.get("/works/", {"place": "ningbo"}))

    assert re.search(r"宁波 · Ningbo\s*×", chinese), chinese
    assert re.search(r"Ningbo · 宁波\s*×", english), english
