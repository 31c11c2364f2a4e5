#!/usr/bin/env python
"""Every kind of public page, uncached: time, queries, SQL time and size, for docs/benchmarks.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_1m \\
        .venv/bin/python bench/pages.py [--repeat 2] [--only /works/,/sitemap.xml]

Each address goes through the project itself (Django's test client, the page cache off:
PAGE_CACHE_SECONDS=0), once to warm the process, then `--repeat` times; the last answer is
reported. The addresses are drawn from the database: the initiative with the most batches
and its newest batch, the theme with the most works, a province, a site, the organisation
with the most works, a work from the middle, searches of four Chinese characters and an
English word, the same within one organisation's works and one batch's, and the sitemap's
index and one of its deepest pages.
"""

import argparse
import os
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ["PAGE_CACHE_SECONDS"] = "0"


def addresses() -> list[str]:
    from django.db.models import Count, Q

    from bench.common import sample_theme
    from catalog.models import Organisation, Place, Work
    from initiatives.models import Batch, Initiative

    initiative = (
        Initiative.objects.public()
        .annotate(n=Count("batches", filter=Q(batches__status=Batch.Status.PUBLISHED)))
        .order_by("-n", "slug")
        .first()
    )
    batch = Batch.objects.public().filter(initiative=initiative).order_by("-number").first()
    province = Place.objects.public().filter(kind=Place.Kind.PROVINCE).order_by("slug").first()
    site = Place.objects.public().filter(kind="site").order_by("slug").first()
    organisation = (
        Organisation.objects.public()
        .annotate(n=Count("work_links"))
        .order_by("-n", "slug")
        .values_list("slug", flat=True)
        .first()
    )
    works = Work.objects.public()
    middle = works.order_by("pk").values_list("slug", flat=True)[works.count() // 2]
    theme = sample_theme()
    pages = -(-works.count() // 10_000)  # the sitemap's works pages (SITEMAP_PAGE // 2)
    q = urllib.parse.quote
    found = [
        "/",
        "/initiatives/",
        initiative.get_absolute_url(),
        batch.get_absolute_url() if batch else None,
        "/themes/",
        f"/themes/{theme}/",
        "/works/",
        f"/works/?theme={theme}",
        f"/works/{middle}/",
        "/places/",
        province.get_absolute_url() if province else None,
        site.get_absolute_url() if site else None,
        "/organisations/",
        f"/organisations/{organisation}/",
        f"/search/?q={q('我在宁波')}",
        "/search/?q=village",
        f"/works/?q={q('我在宁波')}",
        # A search within a narrow filter: its works are tested one by one (searched_within).
        f"/works/?q=village&organisation={organisation}",
        f"/works/?q={q('茶香')}&batch={batch.slug}" if batch else None,
        "/sitemap.xml",
        f"/sitemap-works.xml?p={pages}",
    ]
    return [address for address in found if address]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--only", default="", help="Comma-separated addresses.")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    only = [a for a in args.only.split(",") if a]
    client = Client()
    print(f"{connection.vendor} {connection.settings_dict['NAME']}, page cache off\n")
    print("| address | status | ms | queries | SQL ms | KB |")
    print("|---|---|---|---|---|---|")
    for address in only or addresses():
        client.get(address)
        for _ in range(max(args.repeat, 1)):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(address)
                elapsed = time.perf_counter() - started
        body = b"".join(response.streaming_content) if response.streaming else response.content
        sql = sum(float(query["time"]) for query in queries.captured_queries)
        print(
            f"| `{address}` | {response.status_code} | {elapsed * 1000:.0f} "
            f"| {len(queries.captured_queries)} | {sql * 1000:.0f} | {len(body) // 1024:,} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
