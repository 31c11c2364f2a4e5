"""Shared fixtures. Browser tests (marker `browser`) run when Debian's Chromium is installed;
with REQUIRE_BROWSER_TESTS=1 (CI) a missing Chromium fails the run instead of skipping."""

import os
import pickle
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import translation

from core import caching
from core.api.throttling import SettingsRateThrottle

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


# Tests that take tens of seconds each (a backward migration's model rendering, timeouts
# against a hung server, subprocesses): run first, so that under pytest-xdist the other
# workers share out the rest meanwhile rather than wait for one of these at the end. First
# within their kind only: pytest-django's own ordering (this hook runs before it) still puts
# the transactional tests, which empty the database when they end (the rows migrations
# wrote, like the Editors group, included), after all others; `--dist load` hands tests out
# in that order, so each worker runs its transactional tests last too.
SLOW_FIRST = (
    "tests/test_migrations.py",
    "tests/ops/test_database_faults.py",
    "tests/ops/test_backup.py",
    "tests/bench/test_harness.py",
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    def rank(item):
        return next(
            (i for i, path in enumerate(SLOW_FIRST) if item.nodeid.startswith(path)),
            len(SLOW_FIRST),
        )

    items.sort(key=rank)  # stable: the rest keep their order
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
def short_span(monkeypatch):
    """The search read paths' span (core.pagination.READ_ALONG_SPAN) cut to 5 records per row
    of the page, so that a page of 3 is read along 15 (tests/search_pages.py)."""
    from core import pagination

    monkeypatch.setattr(pagination, "READ_ALONG_SPAN", 5)


@pytest.fixture(autouse=True)
def english_by_default():
    """LocaleMiddleware activates a request's language in the thread and leaves it active;
    without this, a /zh-hans/ request in one test would make `reverse()` in the next return
    /zh-hans/ addresses."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache (cached pages, the public state, rate-limit
    counters) and none of the values a process keeps per public state (core.caching), whatever
    the one before it left there: tests reuse public-state versions."""
    cache.clear()
    caching.forget_in_process()
    yield
    cache.clear()
    caching.forget_in_process()


# Any instant will do: the tests' requests all fall in the one window it opens.
THROTTLE_CLOCK = 1_800_000_000.0


@pytest.fixture(autouse=True)
def throttle_clock(monkeypatch):
    """The rate limits count per window of a minute (core.api.throttling). A test that spends
    a budget must not see its window end between two requests and the budget come back; the
    tests of the windows themselves move this clock."""
    clock = [THROTTLE_CLOCK]
    monkeypatch.setattr(SettingsRateThrottle, "timer", staticmethod(lambda: clock[0]))
    return clock


_cached_rows: dict[str, list[tuple[type, list]]] = {}


@pytest.fixture(scope="session")
def _shared_rows_dir(tmp_path_factory) -> Path | None:
    """Under pytest-xdist, a folder all workers of this run share (their basetemps' parent):
    the first worker to load a data set leaves its rows there for the others, so the
    seconds `load_seed_data` takes are paid once per run, not once per worker."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return None
    return tmp_path_factory.getbasetemp().parent


def _shared_rows(directory: Path | None, name: str):
    path = directory and directory / f"{name}-{connection.vendor}.pickle"
    if not (path and path.exists()):
        return None
    rows = []
    for label, names, values in pickle.loads(path.read_bytes()):
        model = apps.get_model(label)
        rows.append((model, [model(**dict(zip(names, row, strict=True))) for row in values]))
    return rows


def _share_rows(directory: Path | None, name: str, rows) -> None:
    if directory is None:
        return
    # Field values, not instances: the auto-created many-to-many models cannot be pickled.
    data = []
    for model, objects in rows:
        names = [field.attname for field in model._meta.concrete_fields]
        data.append(
            (model._meta.label, names, [tuple(getattr(o, n) for n in names) for o in objects])
        )
    path = directory / f"{name}-{connection.vendor}.pickle"
    partial = path.with_suffix(f".{os.getpid()}.partial")
    partial.write_bytes(pickle.dumps(data))
    partial.replace(path)  # atomic: another worker reads all of it or nothing


def _seed_models():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in {"catalog", "initiatives"}
    ]


def _load_cached(name: str, fixtures: list[str] | None, shared: Path | None):
    """Load data sets through `load_seed_data` once per test session (it takes seconds: full
    validation and history for each record); later tests get the same rows, ids and history
    included, by bulk insert. Under pytest-xdist the workers share the rows (`shared`): each
    worker's test database is made by the same migrations, so the ids are the same."""
    # The cache holds a load into an empty catalog, and is replayed only into an empty one:
    # rows a test made before asking for the data would clash with the cached ids.
    empty = not any(model._base_manager.exists() for model in _seed_models())
    if empty and name not in _cached_rows:
        rows = _shared_rows(shared, name)
        if rows is not None:
            _cached_rows[name] = rows
    if name not in _cached_rows or not empty:
        call_command("load_seed_data", fixture=fixtures, verbosity=0)
        if empty:
            _cached_rows[name] = [
                (model, list(model._base_manager.all())) for model in _seed_models()
            ]
            _share_rows(shared, name, _cached_rows[name])
        return
    rows = _cached_rows[name]
    # Foreign keys are checked at commit (deferred) on SQLite and PostgreSQL alike, so the
    # order of the inserts does not matter inside one transaction (live-server tests have no
    # surrounding one, hence the atomic block).
    with transaction.atomic():
        for model, model_rows in rows:
            model._base_manager.bulk_create(model_rows)
    sql = connection.ops.sequence_reset_sql(no_style(), [m for m, _ in rows])
    if sql:
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)


@pytest.fixture
def seed_data(db, _shared_rows_dir):
    """The seed fixture from the two source documents alone (fixtures/seed.json)."""
    _load_cached(
        "seed", [str(Path(settings.BASE_DIR) / "fixtures" / "seed.json")], _shared_rows_dir
    )


@pytest.fixture
def catalog_data(db, _shared_rows_dir):
    """Everything `make run` loads: the seed, the gazetteer's places and the public record."""
    _load_cached("catalog", None, _shared_rows_dir)


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
