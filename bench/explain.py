#!/usr/bin/env python
"""EXPLAIN (ANALYZE, BUFFERS) of the queries behind the main requests, for docs/benchmarks.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_100k \\
        .venv/bin/python bench/explain.py [--top 2] [--only api_theme,search_en]

Each request (a theme's works and its count, a work's detail, a deep cursor page, page 1,000,
searches of 2 and 4 Chinese characters and an English word) goes through the project itself
(Django's test client, each address once: no cached page), so the queries explained are
exactly those the code sends today, whatever the read path becomes. For each request: how
many queries and their time, then the plans of the `--top` slowest. PostgreSQL only.
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
os.environ.setdefault("API_ANON_RATE", "1000000000/min")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=2, help="Plans per request (slowest).")
    parser.add_argument("--only", default="", help="Comma-separated request names.")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        parser.error("EXPLAIN (ANALYZE, BUFFERS) needs PostgreSQL: set DATABASE_URL")
    settings.ALLOWED_HOSTS = ["*"]
    # A fresh process: every address below is asked once, so no cached page answers it.

    from bench.common import sample_theme
    from catalog.models import Work

    theme = sample_theme()
    works = Work.objects.public()
    total = works.count()
    middle = works.order_by("pk").values_list("slug", flat=True)[total // 2]
    page = max(1, min(1000, (total - 1) // 50 + 1))
    stamp, pk = works.order_by("updated_at", "pk").values_list("updated_at", "pk")[
        max((page - 1) * 50 - 1, 0)
    ]
    import base64

    cursor = base64.urlsafe_b64encode(f"{stamp.isoformat()}|{pk}".encode()).decode().rstrip("=")
    q = urllib.parse.quote
    requests = {
        "api_theme": f"/api/v1/works/?theme={theme}&page_size=50",
        "html_theme": f"/works/?theme={theme}",
        "detail": f"/api/v1/works/{middle}/",
        "deep_cursor": f"/api/v1/works/?page_size=50&mode=cursor&cursor={cursor}",
        "page_1000": f"/api/v1/works/?page={page}&page_size=50",
        "search_zh2": f"/api/v1/works/?q={q('茶香')}&page_size=50",
        "search_zh4": f"/api/v1/works/?q={q('我在宁波')}&page_size=50",
        "search_en": "/api/v1/works/?q=village&page_size=50",
    }
    only = [name for name in args.only.split(",") if name]
    print(f"PostgreSQL {connection.settings_dict['NAME']}: {total:,} public works\n")
    client = Client()
    for name, url in requests.items():
        if only and name not in only:
            continue
        with CaptureQueriesContext(connection) as captured:
            started = time.monotonic()
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            elapsed = (time.monotonic() - started) * 1000
        queries = captured.captured_queries
        sql_ms = sum(float(query["time"]) for query in queries) * 1000
        print(f"## {name}: {url}")
        print(
            f"status {response.status_code}, {len(queries)} queries, {sql_ms:.0f} ms of SQL "
            f"in {elapsed:.0f} ms\n"
        )
        slowest = sorted(queries, key=lambda query: float(query["time"]), reverse=True)
        for query in slowest[: args.top]:
            sql = query["sql"]
            print(f"-- {float(query['time']) * 1000:.1f} ms: {sql[:600]}")
            with connection.cursor() as db:
                db.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                for (line,) in db.fetchall():
                    print("   ", line)
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
