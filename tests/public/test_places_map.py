"""The places map: its data in a json_script tag (no extra request, no inline script), the
vendored files it needs, and the list that stands in for it without script."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from catalog.models import Place
from core import caching
from tests.factories import PlaceFactory, WorkFactory, WorkPlaceFactory, published_at_the_end

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "static"


@pytest.fixture
def places():
    with published_at_the_end():
        return _places()


def _places():
    zhejiang = PlaceFactory(
        name="Zhejiang",
        name_original="浙江",
        slug="zhejiang",
        kind=Place.Kind.PROVINCE,
        code="330000",
        latitude=Decimal("30.27"),
        longitude=Decimal("120.15"),
    )
    ningbo = PlaceFactory(
        name="Ningbo",
        name_original="宁波",
        slug="ningbo",
        parent=zhejiang,
        code="330200",
        latitude=Decimal("29.87"),
        longitude=Decimal("121.54"),
    )
    hangzhou = PlaceFactory(
        name="Hangzhou",
        name_original="杭州",
        slug="hangzhou",
        parent=zhejiang,
        code="330100",
        latitude=Decimal("30.27"),
        longitude=Decimal("120.15"),
    )
    nowhere = PlaceFactory(name="Somewhere unmapped", slug="unmapped")
    fujian = PlaceFactory(
        name="Fujian", name_original="福建", slug="fujian", kind=Place.Kind.PROVINCE, code="350000"
    )
    hidden = PlaceFactory(
        name="Hidden Town",
        slug="hidden-town",
        latitude=Decimal("25"),
        longitude=Decimal("110"),
        published_directly=False,
    )
    for _ in range(3):
        WorkPlaceFactory(work=WorkFactory(), place=ningbo)
    WorkPlaceFactory(work=WorkFactory(), place=hangzhou)
    return {
        "zhejiang": zhejiang,
        "ningbo": ningbo,
        "nowhere": nowhere,
        "fujian": fujian,
        "hidden": hidden,
    }


def map_data(html: str) -> dict:
    raw = re.search(
        r'<script id="places-map-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert raw, "no map data on the page"
    return json.loads(raw.group(1))


def test_places_page_carries_every_mapped_place_with_its_work_count(client, places):
    html = client.get("/places/").content.decode()
    data = map_data(html)
    points = {point["name"]: point for point in data["points"]}
    assert set(points) == {"Ningbo · 宁波", "Hangzhou · 杭州"}
    assert points["Ningbo · 宁波"] == {
        "name": "Ningbo · 宁波",
        "url": "/places/ningbo/",
        "count": 3,
        "text": "3 works",
        "lat": 29.87,
        "lng": 121.54,
    }
    # Provinces are shaded by their code, with the works of the places inside them.
    assert data["provinces"]["330000"]["count"] == 4
    assert data["provinces"]["330000"]["url"] == "/places/zhejiang/"
    assert data["provinces"]["350000"]["count"] == 0
    assert "Hidden Town" not in html


def test_the_map_loads_only_vendored_files_and_no_inline_script(client, places):
    html = client.get("/places/").content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    for attributes, _body in scripts:
        if "src=" in attributes:
            src = re.search(r'src="([^"]+)"', attributes).group(1)
            assert src.startswith("/static/"), src
            assert (STATIC / src.removeprefix("/static/")).is_file(), src
        else:
            # Only data blocks, which CSP does not run.
            assert re.search(r'type="application/(ld\+)?json"', attributes), attributes
    assert '<script src="/static/vendor/leaflet/leaflet.js" defer></script>' in html
    assert 'href="/static/vendor/leaflet/leaflet.css"' in html
    assert "tileLayer" not in (STATIC / "js/places-map.js").read_text()
    csp = client.get("/places/")["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_the_vendored_files_say_where_they_come_from_and_their_licence():
    readme = (STATIC / "vendor/README.md").read_text()
    for name in ("leaflet", "china-provinces"):
        assert (STATIC / "vendor" / name / "LICENSE").is_file()
        assert name in readme
    outline = (STATIC / "vendor/china-provinces/china-provinces.js").read_text()
    data = json.loads(outline[outline.index("{") : outline.rindex(";")])
    codes = {feature["id"] for feature in data["features"]}
    assert {"330000", "350000", "110000", "710000"} <= codes
    assert len(codes) == 34


def test_without_script_the_list_of_places_stays(client, places):
    html = client.get("/places/").content.decode()
    assert '<div id="places-map" class="places-map" role="region"' in html
    assert re.search(r'id="places-map"[^>]*hidden', html)
    assert 'href="/places/ningbo/"' in html
    assert "3 works" in html


def test_chinese_map_labels_are_chinese(client, places):
    data = map_data(client.get("/zh-hans/places/").content.decode())
    point = next(p for p in data["points"] if p["url"] == "/zh-hans/places/ningbo/")
    assert point["name"] == "宁波 · Ningbo"
    assert point["text"] != "3 works"
    assert "3" in point["text"]
    assert data["label"] != "Map of the places"


def test_a_place_page_maps_what_lies_inside_it_and_starts_on_it(client, places):
    data = map_data(client.get("/places/zhejiang/").content.decode())
    assert {p["url"] for p in data["points"]} == {"/places/ningbo/", "/places/hangzhou/"}
    assert data["focusCode"] == "330000"
    data = map_data(client.get("/places/ningbo/").content.decode())
    assert [p["url"] for p in data["points"]] == ["/places/ningbo/"]
    assert data["focus"] == [29.87, 121.54]
    assert data["focusCode"] == ""


def test_the_works_list_map_leads_to_the_list_filtered_by_place(client, places):
    data = map_data(client.get("/works/").content.decode())
    point = next(p for p in data["points"] if p["name"].startswith("Ningbo"))
    assert point["url"] == "/works/?place=ningbo"
    assert data["provinces"]["330000"]["url"] == "/works/?place=zhejiang"
    filtered = client.get(point["url"])
    assert filtered.status_code == 200
    assert "3 works" in filtered.content.decode()
    # The other filters stay; the place is replaced, and paging starts again.
    data = map_data(client.get("/works/?q=Work&place=hangzhou&page=1").content.decode())
    point = next(p for p in data["points"] if p["name"].startswith("Ningbo"))
    assert point["url"] == "/works/?q=Work&place=ningbo"


def test_the_map_adds_no_query_per_place(client, places, django_assert_max_num_queries):
    client.get("/places/")  # warm anything cached once per process
    # The figures computed, as the first visitor after a publication computes them.
    cache.clear()
    caching.forget_in_process()
    with django_assert_max_num_queries(8) as first:
        client.get("/places/")
    for n in range(10):
        PlaceFactory(latitude=Decimal("30"), longitude=Decimal(100 + n), parent=places["zhejiang"])
    cache.clear()
    caching.forget_in_process()
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/places/")
