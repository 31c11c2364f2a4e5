#!/usr/bin/env python
"""Queries per request, and per conditional (304) request, for docs/benchmarks.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_100k \\
        .venv/bin/python bench/query_counts.py

Each address of bench/run goes through the project (Django's test client, the local
in-process cache): a first request (nothing cached), a second one (the cache warm, as
under wrk), then the same address with the answer's ETag in If-None-Match. Prints one line
per address: status and query count of each of the three. Counts only, no timings.
"""

import os
import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("API_ANON_RATE", "1000000000/min")
os.environ["REDIS_URL"] = ""  # the in-process cache: no shared state with a server


def main() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    from bench.common import sample_theme
    from catalog.models import Work

    theme = sample_theme()
    middle = Work.objects.public().order_by("pk").values_list("slug", flat=True)[1000]
    q = urllib.parse.quote
    requests = {
        "api_list": "/api/v1/works/?page_size=50",
        "api_theme": f"/api/v1/works/?theme={theme}&page_size=50",
        "api_facet": f"/api/v1/works/?theme={theme}&facets=year&page_size=1",
        "api_page_1000": "/api/v1/works/?page=1000&page_size=50",
        "api_search_zh4": f"/api/v1/works/?q={q('我在宁波')}&page_size=50",
        "api_detail": f"/api/v1/works/{middle}/",
        "html_list": "/works/",
        "html_theme": f"/works/?theme={theme}",
    }
    client = Client()

    def get(url, **headers):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, headers=headers)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        return response, len(captured.captured_queries)

    print(f"{Work.objects.public().count():,} public works")
    print("| request | first | second (cache warm) | If-None-Match |")
    print("|---|---|---|---|")
    for name, url in requests.items():
        first, n1 = get(url)
        second, n2 = get(url)
        etag = second.headers.get("ETag")
        cells = [f"{first.status_code}, {n1} q", f"{second.status_code}, {n2} q"]
        if etag:
            third, n3 = get(url, if_none_match=etag)
            cells.append(f"{third.status_code}, {n3} q")
        else:
            cells.append("no ETag")
        print(f"| {name} `{url}` | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
