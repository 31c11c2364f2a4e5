"""Print the SQL query count and time of every public page, with N extra works per page.

    env -u DATABASE_URL .venv/bin/python scripts/page_queries.py          # SQLite in memory
    DATABASE_URL=postgres://.../catalog_bench .venv/bin/python scripts/page_queries.py

Builds a throwaway test database (Django's test runner machinery), loads the seed data, then
measures each page twice: as seeded, and after adding EXTRA works to the heritage theme,
batch 4 and Wuyi County. Equal counts in both columns mean the page does not grow with rows.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
# Measure the views, not the anonymous page cache (core/caching.py), which would answer the
# measured request with no query at all.
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

EXTRA = int(os.environ.get("EXTRA", "100"))
PAGES = [
    "/",
    "/themes/",
    "/themes/intangible-cultural-heritage/",
    "/works/",
    "/works/?place=zhejiang&ordering=-newest_batch",
    "/works/carry-bricks-young-lady/",
    "/places/",
    "/places/zhejiang/",
    "/organisations/",
    "/organisations/the-paper/",
    "/initiatives/",
    "/initiatives/travel-with-micro-dramas/",
    "/initiatives/travel-with-micro-dramas/batches/4/",
    "/search/?q=%E5%89%A7",
    "/search/?q=travel",
    "/sitemap.xml",
    "/feeds/batches/",
    "/initiatives/travel-with-micro-dramas/feed/",
    "/works/carry-bricks-young-lady/share.png",
    "/initiatives/travel-with-micro-dramas/batches/4/share.png",
]


def measure(client):
    rows = {}
    for url in PAGES:
        client.get(url)  # warm caches (templates, translations)
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - start) * 1000
        rows[url] = (response.status_code, len(queries), elapsed)
    return rows


def add_works(count):
    from catalog.models import Place, Theme, WorkPlace
    from initiatives.models import Batch
    from tests.factories import RecommendationFactory, WorkFactory

    batch = Batch.objects.get(slug="travel-with-micro-dramas-4")
    theme = Theme.objects.get(slug="intangible-cultural-heritage")
    place = Place.objects.get(slug="wuyi-county")
    for _ in range(count):
        work = WorkFactory()
        RecommendationFactory(batch=batch, work=work, theme=theme)
        WorkPlace.objects.create(work=work, place=place, relation=WorkPlace.Relation.FILMED_AT)


def main():
    setup_test_environment()
    config = setup_databases(verbosity=0, interactive=False)
    try:
        call_command("load_seed_data", verbosity=0)
        client = Client()
        before = measure(client)
        add_works(EXTRA)
        after = measure(client)
        print(f"| page | queries (seed) | queries (+{EXTRA} works) | ms (+{EXTRA} works) |")
        print("| --- | ---: | ---: | ---: |")
        for url in PAGES:
            status, q1, _ = before[url]
            status2, q2, ms = after[url]
            flag = "" if status == status2 == 200 else f" (HTTP {status}/{status2})"
            print(f"| `{url}`{flag} | {q1} | {q2} | {ms:.0f} |")
    finally:
        teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    main()
