"""The house in the browser (issue 13): every public page type at 390 px and 1280 px, in
English and Chinese, with what `make run` loads. No element may reach past the viewport's
right edge (a table wider than the screen scrolls inside its own box, which is fine), and a
/zh-hans/ page shows no interface string left in English.

`SCREENSHOTS=1` saves a screenshot of each page's first screen into docs/screenshots/
(palette PNGs, small enough to commit); the README shows a few.

The list of addresses is generic: pages added later (a map, charts) are checked by adding
their address to `page_urls`."""

import os
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from catalog.models import Organisation, Place, Source, Theme, Work, WorkPlace
from initiatives.models import Batch
from tests.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = Path(settings.BASE_DIR) / "docs" / "screenshots"


def page_urls() -> dict[str, str]:
    """One address of each public page type, named, from the loaded catalog."""
    with translation.override("en"):
        batch = (
            Batch.objects.public()
            .filter(initiative__slug="travel-with-micro-dramas")
            .order_by("-number")
            .first()
        ) or Batch.objects.public().first()
        place_with_works = (
            Place.objects.public()
            .filter(pk__in=WorkPlace.objects.values("place"), parent=None)
            .order_by("name")
            .first()
        ) or Place.objects.public().first()
        work = Work.objects.public().exclude(title_original="").order_by("title").first()
        return {
            "home": "/",
            "works": "/works/",
            "work": work.get_absolute_url(),
            "themes": "/themes/",
            "theme": Theme.objects.public().order_by("position").first().get_absolute_url(),
            "places": "/places/",
            "place": place_with_works.get_absolute_url(),
            "organisations": "/organisations/",
            "organisation": Organisation.objects.public()
            .order_by("name")
            .first()
            .get_absolute_url(),
            "initiatives": "/initiatives/",
            "initiative": batch.initiative.get_absolute_url(),
            "batch": batch.get_absolute_url(),
            "search": "/search/?q=%E6%97%85%E8%A1%8C",  # 旅行
            "source": Source.objects.public().order_by("pk").first().get_absolute_url(),
            "404": "/no-such-page/",
        }


# Elements reaching past the right edge, outside any box that scrolls or clips them.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  if (document.documentElement.scrollWidth > width) {
    found.push('document scrollWidth ' + document.documentElement.scrollWidth + ' > ' + width);
  }
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)) return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect();
    if (!rect.width || !rect.height) continue;
    if (rect.right > width + 1 && !clipped(el)) {
      const name = el.tagName.toLowerCase() + (el.className ? '.' + el.className : '');
      const text = (el.innerText || '').slice(0, 60);
      found.push(name + ' right=' + Math.round(rect.right) + ': ' + text);
    }
  }
  // A header squeezed to one character per line (公/布, 收/录).
  for (const th of document.querySelectorAll('th')) {
    const text = th.innerText.trim();
    const range = document.createRange();
    range.selectNodeContents(th);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    if (text.length > 1 && !text.includes(' ') && lines > 2) {
      found.push('squeezed header: ' + text);
    }
  }
  // The header search box shows its whole placeholder.
  const search = document.querySelector('.site-search input');
  if (search && search.placeholder && search.getBoundingClientRect().width) {
    const style = getComputedStyle(search);
    const context = document.createElement('canvas').getContext('2d');
    context.font = style.font;
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const room = search.clientWidth - padding;
    const needed = context.measureText(search.placeholder).width;
    if (needed > room + 1) {
      found.push('search placeholder clipped: ' + Math.round(needed) + ' > ' + Math.round(room));
    }
  }
  return found.slice(0, 15);
}"""

# Visible text of the page's own interface: each text node on its own, trimmed, skipping
# what is marked as English content (a record's English name carries lang="en").
TEXTS_JS = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || el.closest('body [lang="en"], script, style')) continue;
    if (!el.getClientRects().length) continue;
    texts.push(text);
  }
  for (const el of document.querySelectorAll('[placeholder], [aria-label]')) {
    if (el.closest('body [lang="en"]')) continue;
    for (const name of ['placeholder', 'aria-label']) {
      const value = el.getAttribute(name);
      if (value) texts.push(value.trim());
    }
  }
  return texts;
}"""


def english_interface_strings() -> set[str]:
    """The .po's English strings that have a Chinese translation and read as words: a page
    under /zh-hans/ showing one of them as a whole text has an untranslated string."""
    po = polib.pofile(
        str(Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    )
    strings = set()
    for entry in po:
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        for msgid in (entry.msgid, entry.msgid_plural):
            if not msgid or re.search(r"%\(|%s|\{", msgid) or not re.search(r"[A-Za-z]{3}", msgid):
                continue
            translated = entry.msgstr or next(iter(entry.msgstr_plural.values()), "")
            if translated and translated != msgid:
                strings.add(msgid)
    return strings


def save_screenshot(page, name):
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path))
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
        small.save(path, optimize=True)


@pytest.fixture
def catalog_site(live_server, catalog_data):
    return live_server.url


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_no_page_overflows_the_screen_or_leaves_chinese_pages_in_english(
    page, catalog_site, language, viewport
):
    page.set_viewport_size(viewport)
    prefix = "/zh-hans" if language == "zh-hans" else ""
    english = english_interface_strings()
    # The check can see English: the English home page shows some of the strings.
    page.goto(catalog_site + "/")
    assert english & set(page.evaluate(TEXTS_JS))
    if language == "en":
        english = set()
    problems = {}
    for name, url in page_urls().items():
        response = page.goto(catalog_site + prefix + url)
        assert response.status == (404 if name == "404" else 200), (name, url)
        overflowing = page.evaluate(OVERFLOW_JS)
        if overflowing:
            problems[f"{name} {prefix}{url} overflows"] = overflowing
        if english:
            left = sorted({text for text in page.evaluate(TEXTS_JS) if text in english})
            if left:
                problems[f"{name} {prefix}{url} untranslated"] = left
        if os.environ.get("SCREENSHOTS"):
            save_screenshot(page, f"{name}-{language}-{viewport['width']}")
    assert not problems, problems


@pytest.mark.parametrize("path", ["/api/redoc/", "/api/docs/"])
def test_the_api_docs_load_nothing_from_another_host(page, live_server, path):
    """ReDoc and Swagger UI come from static/ (drf-spectacular-sidecar): no remote fonts, no
    CDN. The ReDoc bundle's own "Redocly" logo is a remote image, which the page's
    Content-Security-Policy (img-src 'self' data:) keeps from being fetched."""
    from urllib.parse import urlsplit

    fetched = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    response = page.goto(live_server.url + path)
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    host = urlsplit(live_server.url).netloc
    remote = [url for url in fetched if urlsplit(url).netloc not in (host, "")]
    assert remote == []
    assert any("drf_spectacular_sidecar" in url for url in fetched)
