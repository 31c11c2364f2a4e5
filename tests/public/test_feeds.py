"""Atom feeds of newly published batches, robots.txt and the sitemap's feed entries."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from initiatives.models import Batch
from tests.factories import BatchFactory, InitiativeFactory, published_at_the_end
from tests.sitemaps import sitemap_xml

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def batches():
    with published_at_the_end():
        return _batches()


def _batches():
    travel = InitiativeFactory(
        name="Travel with Micro-Dramas", name_original="跟着微短剧去旅行", slug="travel"
    )
    other = InitiativeFactory(name="Heritage on Screen", slug="heritage")
    now = timezone.now()
    first = BatchFactory(initiative=travel, number=1, published_at=now - datetime.timedelta(2))
    second = BatchFactory(initiative=travel, number=2, published_at=now - datetime.timedelta(1))
    elsewhere = BatchFactory(initiative=other, number=1, published_at=now)
    draft = BatchFactory(initiative=travel, number=3, status=Batch.Status.DRAFT)
    return {"travel": travel, "first": first, "second": second, "other": elsewhere, "draft": draft}


def entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return root, [
        (entry.find(f"{ATOM}title").text, entry.find(f"{ATOM}link").get("href"))
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_site_feed_lists_published_batches_newest_first_and_no_draft(client, batches):
    _root, found = entries(client.get("/feeds/batches/"))
    assert [href for _title, href in found] == [
        "http://testserver/initiatives/heritage/batches/1/",
        "http://testserver/initiatives/travel/batches/2/",
        "http://testserver/initiatives/travel/batches/1/",
    ]
    assert found[1][0] == "Travel with Micro-Dramas · 跟着微短剧去旅行, batch 2"
    assert "/batches/3/" not in client.get("/feeds/batches/").content.decode()


def test_initiative_feed_has_only_its_own_batches(client, batches):
    _root, found = entries(client.get("/initiatives/travel/feed/"))
    assert [href for _title, href in found] == [
        "http://testserver/initiatives/travel/batches/2/",
        "http://testserver/initiatives/travel/batches/1/",
    ]


def test_chinese_feed_links_to_chinese_pages_and_names_chinese_first(client, batches):
    root, found = entries(client.get("/zh-hans/initiatives/travel/feed/"))
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-hans"
    assert found[0] == (
        "跟着微短剧去旅行 · Travel with Micro-Dramas 第2批",
        "http://testserver/zh-hans/initiatives/travel/batches/2/",
    )


def test_a_draft_initiative_has_no_feed(client):
    hidden = InitiativeFactory(slug="hidden", published_directly=False)
    assert not type(hidden).objects.public().filter(pk=hidden.pk).exists()
    assert client.get("/initiatives/hidden/feed/").status_code == 404


def test_pages_point_at_the_feeds(client, batches):
    html = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/feeds/batches/"' in html
    html = client.get(batches["travel"].get_absolute_url()).content.decode()
    assert 'href="/initiatives/travel/feed/"' in html
    html = client.get("/zh-hans/").content.decode()
    assert 'href="/zh-hans/feeds/batches/"' in html


def test_robots_txt_allows_pages_disallows_the_admin_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_sitemap_lists_the_feeds_in_both_languages(client, batches):
    xml = sitemap_xml(client)
    assert "<loc>http://testserver/feeds/batches/</loc>" in xml
    assert "<loc>http://testserver/zh-hans/feeds/batches/</loc>" in xml
    assert "<loc>http://testserver/initiatives/travel/feed/</loc>" in xml
