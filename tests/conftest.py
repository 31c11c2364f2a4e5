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
