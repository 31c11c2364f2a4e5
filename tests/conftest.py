"""Shared fixtures. Browser tests (marker `browser`) run when Debian's Chromium is installed;
with REQUIRE_BROWSER_TESTS=1 (CI) a missing Chromium fails the run instead of skipping."""

import os
import shutil

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


def pytest_collection_modifyitems(config, items):
    if chromium_available():
        return
    if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
        raise pytest.UsageError(
            f"REQUIRE_BROWSER_TESTS=1 but Chromium is not at {CHROMIUM}: "
            "apt-get install -y chromium fonts-noto-cjk"
        )
    skip = pytest.mark.skip(
        reason=f"Chromium not installed at {CHROMIUM} (apt-get install chromium)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def seed_data(db):
    """The seed fixture from the source documents, loaded through its own command."""
    call_command("load_seed_data", verbosity=0)


#
# Browser tests (Playwright driving Debian's Chromium)
#

SCREENSHOT_DIR = os.path.join(
    os.path.dirname(os.path.dirname(__file__)), "artifacts", "screenshots"
)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself (creating data) are still synchronous and safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A desktop-sized page; tests resize it to PHONE where they check the phone layout."""
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """`screenshot("home-phone")` saves artifacts/screenshots/home-phone.png (git ignores it)."""
    os.makedirs(SCREENSHOT_DIR, exist_ok=True)

    def take(name: str, **kwargs):
        path = os.path.join(SCREENSHOT_DIR, f"{name}.png")
        page.screenshot(path=path, full_page=True, **kwargs)
        return path

    return take
