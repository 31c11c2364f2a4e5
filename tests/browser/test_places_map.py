"""The places map in Chromium: a traveller opens /places/, sees China's provinces and the
places, clicks a province and lands on its works; nothing is fetched from another host."""

from urllib.parse import urlsplit

import pytest

from tests.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, catalog_data):
    return live_server.url


FIND_FREE_SPOT = """selector => {
    // A spot where the province itself, not a place's point on it, is on top.
    const path = document.querySelector(selector);
    const box = path.getBoundingClientRect();
    for (let fy = 0.1; fy < 1; fy += 0.05) {
        for (let fx = 0.1; fx < 1; fx += 0.05) {
            const x = box.left + fx * box.width, y = box.top + fy * box.height;
            if (document.elementFromPoint(x, y) === path) { return [x, y]; }
        }
    }
    return null;
}"""


def click_province(page, code: str, hover_only: bool = False):
    selector = f"path.province-{code}"
    page.locator(selector).wait_for()
    page.locator(selector).scroll_into_view_if_needed()
    spot = page.evaluate(FIND_FREE_SPOT, selector)
    assert spot, f"no free spot on province {code}"
    page.mouse.move(*spot)
    if not hover_only:
        page.mouse.click(*spot)


@pytest.fixture
def watched(page):
    seen, errors = [], []
    page.on("request", lambda request: seen.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return seen, errors


def test_traveller_clicks_a_province_on_the_map_and_lands_on_its_works(
    page, site, watched, screenshot
):
    seen, errors = watched
    page.goto(site + "/places/")
    province = page.locator("path.province-330000")
    province.wait_for()
    assert page.locator("#places-map").is_visible()
    assert page.locator("path.province").count() == 34
    assert page.locator("path.place-point").count() > 5
    screenshot("places-map-desktop")
    click_province(page, "330000", hover_only=True)
    assert "Zhejiang" in page.locator(".leaflet-tooltip").inner_text()
    click_province(page, "330000")
    page.wait_for_url("**/places/zhejiang/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Zhejiang")
    # The province's page starts on the province, with the places inside it.
    page.locator("path.place-point").first.wait_for()
    host = urlsplit(site).netloc
    assert all(urlsplit(url).netloc == host for url in seen), seen
    assert errors == []


def test_the_works_list_map_filters_the_list_by_the_place_clicked(page, site, watched):
    _seen, errors = watched
    page.set_viewport_size(PHONE)
    page.goto(site + "/zh-hans/works/")
    # On a phone the filters start folded; the map inside measures itself when they unfold.
    page.get_by_role("heading", name="筛选作品").click()
    page.locator("path.province-330000").wait_for()
    assert page.locator("#places-map").bounding_box()["height"] > 100
    assert page.locator("path.province-330000").bounding_box()["width"] > 5
    page.set_viewport_size(DESKTOP)
    # In the sidebar's small map the cities' points sit on top of their provinces.
    point = page.locator("path.place-point").last
    point.hover()
    place = page.locator(".leaflet-tooltip strong").inner_text()
    point.click()
    page.wait_for_url("**/zh-hans/works/?place=*")
    # The tooltip names the place Chinese first on a Chinese page; the list is filtered by it.
    chinese, english = place.split(" · ")
    assert any("\u4e00" <= char <= "\u9fff" for char in chinese)
    assert english in page.locator(".active-filters").inner_text() or chinese in (
        page.locator(".active-filters").inner_text()
    )
    assert errors == []


def test_without_script_the_places_page_is_the_list(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/places/")
    assert not page.locator("#places-map").is_visible()
    assert page.get_by_role("link", name="Zhejiang").first.is_visible()
    context.close()
