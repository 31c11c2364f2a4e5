#!/usr/bin/env python
"""Benchmark the partner API in-process: response time and query count per endpoint and page
size, cursor sync and CSV export, on a generated catalog of N works.

    DATABASE_URL=sqlite:////tmp/bench-api.sqlite3 .venv/bin/python scripts/bench_api.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/catalog_api_bench \
        .venv/bin/python scripts/bench_api.py --works 2000

The database in DATABASE_URL is migrated and filled with generated records (factories), so
give it a scratch database, never a real one. Results go to stdout as a Markdown table
(docs/benchmarks-api.md records a run).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("API_ANON_RATE", "1000000/min")  # measure the API, not the throttle


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        parser.error("set DATABASE_URL to a scratch database")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    populate(args.works)
    settings.DEBUG = False  # as in production; CaptureQueriesContext still counts queries
    reset_queries()

    client = Client()
    print(f"{connection.vendor}, {args.works} works, median of {args.repeat} requests\n")
    print("| request | status | queries | median ms | p95 ms | bytes |")
    print("| --- | --- | --- | --- | --- | --- |")
    theme = first_slug("catalog", "Theme")
    for url in [
        "/api/v1/works/?page_size=20",
        "/api/v1/works/?page_size=100",
        f"/api/v1/works/?page_size=100&theme={theme}",
        "/api/v1/works/?page_size=100&q=work%201",
        "/api/v1/works/?page_size=100&ordering=-newest_batch",
        "/api/v1/works/?page_size=100&mode=cursor",
        "/api/v1/works/?page_size=100&page=5",
        "/api/v1/batches/?page_size=100",
        "/api/v1/themes/",
        "/api/v1/places/?page_size=100",
        "/api/v1/organisations/?page_size=100",
        "/api/v1/initiatives/?page_size=100",
        f"/api/v1/works/{first_slug('catalog', 'Work')}/",
    ]:
        timings, status, queries, size = [], None, None, 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            status, queries, size = response.status_code, len(captured), len(response.content)
        print(row(url, status, queries, timings, size))

    # Cursor sync of the whole catalog, and the CSV export.
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        url, pages, records = "/api/v1/works/?mode=cursor&page_size=100", 0, 0
        while url:
            body = client.get(url).json()
            pages, records = pages + 1, records + len(body["results"])
            url = body["next"]
        elapsed = (time.perf_counter() - start) * 1000
    print(
        row(f"full cursor sync: {records} works in {pages} pages", 200, len(captured), [elapsed], 0)
    )
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        response = client.get("/api/v1/works/?format=csv")
        size = sum(len(chunk) for chunk in response.streaming_content)
        elapsed = (time.perf_counter() - start) * 1000
    print(row("CSV export of every work", response.status_code, len(captured), [elapsed], size))
    # Memory held while the export streams: flat in the number of works when it reads,
    # prefetches and serializes a chunk at a time (tracemalloc slows it; times not reported).
    import tracemalloc

    tracemalloc.start()
    response = client.get("/api/v1/works/?format=csv")
    size = sum(len(chunk) for chunk in response.streaming_content)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"\nCSV export: {size} bytes, peak Python memory while streaming {peak / 1e6:.1f} MB")


def row(label, status, queries, timings, size):
    p95 = sorted(timings)[max(0, int(len(timings) * 0.95) - 1)]
    return (
        f"| `{label}` | {status} | {queries} | {statistics.median(timings):.1f} "
        f"| {p95:.1f} | {size} |"
    )


def first_slug(app, model):
    from django.apps import apps

    return apps.get_model(app, model).objects.order_by("pk").values_list("slug", flat=True)[0]


def populate(n):
    """N works over 8 themes, 3 initiatives with 4 batches each, 30 places and 40
    organisations; each work listed once, tagged, placed and with one organisation."""
    import random

    from catalog.models import Work
    from tests import factories as f

    if Work.objects.count() >= n:
        return
    rng = random.Random(4)
    themes = [f.ThemeFactory() for _ in range(8)]
    source = f.SourceFactory()
    batches = []
    for _ in range(3):
        initiative = f.InitiativeFactory(sources=[source])
        initiative.themes.set(themes)
        for number in range(1, 5):
            batch = f.BatchFactory(initiative=initiative, number=number, sources=[source])
            for theme in themes:
                f.BatchThemeCountFactory(batch=batch, theme=theme, announced=rng.randint(1, 9))
            batches.append(batch)
    province = f.PlaceFactory(kind="province")
    places = [f.PlaceFactory(parent=province) for _ in range(30)]
    organisations = [f.OrganisationFactory() for _ in range(40)]
    for i in range(n):
        work = f.WorkFactory(title=f"Work {i}", themes=rng.sample(themes, 2), sources=[source])
        theme = rng.choice(themes)
        f.RecommendationFactory(batch=rng.choice(batches), work=work, theme=theme)
        f.WorkPlaceFactory(work=work, place=rng.choice(places))
        f.WorkOrganisationFactory(work=work, organisation=rng.choice(organisations))


if __name__ == "__main__":
    main()
