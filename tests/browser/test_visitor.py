"""A visitor's path through the public site in Chromium, at phone and desktop widths."""

from urllib.parse import urlsplit

import pytest
from django.utils import translation

from initiatives.models import Batch
from tests.conftest import DESKTOP, PHONE
from tests.factories import RecommendationFactory, WorkFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, seed_data):
    """The seed data plus one work with a Chinese original title, listed in batch 4."""
    with translation.override("en"):
        batch = Batch.objects.get(slug="travel-with-micro-dramas-4")
        heritage = batch.theme_counts.get(theme__slug="intangible-cultural-heritage").theme
        work = WorkFactory(
            title="Keepers of the Kiln Fire",
            title_original="窑火守艺人",
            slug="keepers-of-the-kiln-fire",
            synopsis="A potter's apprentice keeps a village kiln burning.",
        )
        RecommendationFactory(batch=batch, work=work, theme=heritage)
    return live_server.url


@pytest.fixture
def requests_seen(page):
    seen = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def test_visitor_browses_by_theme_follows_a_batch_switches_to_chinese_and_searches(
    page, site, requests_seen, screenshot
):
    page.goto(site + "/")
    assert page.title().endswith("Micro-Drama Catalog")
    page.get_by_role("link", name="Intangible cultural heritage").first.click()
    page.wait_for_url("**/themes/intangible-cultural-heritage/")
    assert (
        page.get_by_role("heading", level=1).inner_text().startswith("Intangible cultural heritage")
    )
    # The theme's table shows the honest count: 15 announced, 3 listed here.
    row = page.get_by_role("row", name="Travel with Micro-Dramas, batch 4")
    assert "15" in row.inner_text()

    page.get_by_role("link", name="Carry Bricks, Young Lady!").click()
    page.wait_for_url("**/works/carry-bricks-young-lady/")
    assert page.get_by_role("heading", level=1).inner_text() == "Carry Bricks, Young Lady!"

    page.get_by_role("link", name="batch 4").click()
    page.wait_for_url("**/initiatives/travel-with-micro-dramas/batches/4/")
    assert "55 announced · 12 listed" not in page.content()  # we added one listed work
    assert page.get_by_text("55 announced · 13 listed").first.is_visible()
    assert page.get_by_role("heading", name="No theme given by the source").is_visible()

    page.get_by_role("navigation", name="Language").get_by_role("link", name="简体中文").click()
    page.wait_for_url("**/zh-hans/initiatives/travel-with-micro-dramas/batches/4/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.get_by_text("公布 15 部 · 收录 3 部").first.is_visible()

    search_box = page.get_by_role("searchbox", name="搜索目录")
    search_box.fill("守艺")
    search_box.press("Enter")
    page.wait_for_url("**/zh-hans/search/?q=*")
    assert page.get_by_role("link", name="窑火守艺人 Keepers of the Kiln Fire").is_visible()
    screenshot("search-zh-desktop")

    page.get_by_role("searchbox", name="搜索目录").fill("跟着微短剧")
    page.get_by_role("searchbox", name="搜索目录").press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("link", name="跟着微短剧去旅行 Travel with Micro-Dramas").is_visible()

    host = urlsplit(site).netloc
    assert all(urlsplit(url).netloc == host for url in requests_seen), requests_seen


def test_keyboard_reaches_the_skip_link_first_and_focus_is_visible(page, site):
    page.goto(site + "/works/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_phone_layout_has_no_horizontal_scroll_and_folds_the_filters(page, site):
    page.set_viewport_size(PHONE)
    for path in ["/", "/works/", "/initiatives/travel-with-micro-dramas/batches/4/"]:
        page.goto(site + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
    page.goto(site + "/works/")
    assert page.locator("details.filters").get_attribute("open") is None
    page.get_by_text("Filter works").click()
    assert page.get_by_role("group", name="Theme").is_visible()  # the themes' checkboxes


MAIN_PAGES = {
    "home": "/",
    "themes": "/themes/",
    "theme": "/themes/intangible-cultural-heritage/",
    "works": "/works/?theme=intangible-cultural-heritage&ordering=-newest_batch",
    "work": "/works/keepers-of-the-kiln-fire/",
    "initiative": "/initiatives/travel-with-micro-dramas/",
    "batch": "/initiatives/travel-with-micro-dramas/batches/4/",
    "places": "/places/",
    "place": "/places/zhejiang/",
    "organisations": "/organisations/",
    "search": "/search/?q=%E5%89%A7",
    "home-zh": "/zh-hans/",
    "batch-zh": "/zh-hans/initiatives/travel-with-micro-dramas/batches/4/",
    "not-found": "/works/no-such-work/",
}


@pytest.mark.parametrize(("width_name", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_main_pages_render_at_phone_and_desktop_widths(
    page, site, screenshot, width_name, viewport
):
    page.set_viewport_size(viewport)
    for name, path in MAIN_PAGES.items():
        response = page.goto(site + path)
        assert response.status == (404 if name == "not-found" else 200), path
        assert page.locator("h1").first.is_visible(), path
        screenshot(f"{name}-{width_name}")
