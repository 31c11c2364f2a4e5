#!/usr/bin/env python
"""What an API answer from the shared cache costs in process, for docs/benchmarks.md.

    REDIS_URL=redis://127.0.0.1:6379/9 DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_1m \\
        .venv/bin/python bench/cache_hits.py [--hits 400]

Production settings with Redis and the API cache on. Each address is asked once (the miss
that fills the cache), then `--hits` times through Django's test client; prints the p50 and
p95 of those hits in milliseconds. No server and no network between: the cost of a hit in
the worker (middleware, authentication, the rate limit, the cache read, the response), which
is what bench/run's cached figures are made of. Use a Redis database of its own: the script
clears its keys before it starts (the site's KEY_PREFIX only).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
os.environ.setdefault("SECRET_KEY", "bench-cache-hits-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("API_ANON_RATE", "1000000000/min")
os.environ.setdefault("API_CACHE_SECONDS", "600")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hits", type=int, default=400)
    args = parser.parse_args(argv)
    if not os.environ.get("REDIS_URL"):
        parser.error("set REDIS_URL: the API cache is the shared one")

    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    from bench.common import sample_theme

    cache.clear()
    theme = sample_theme()
    addresses = [
        f"/api/v1/works/?theme={theme}&page_size=50",
        "/api/v1/works/?page_size=50",
        f"/api/v1/works/?theme={theme}&facets=year,organisation&page_size=50",
    ]
    client = Client()
    print("| address | bytes | hit p50 ms | hit p95 ms |")
    print("|---|---|---|---|")
    for address in addresses:
        response = client.get(address, secure=True)  # production redirects plain HTTP
        if response.status_code != 200:
            print(f"{address}: {response.status_code}", file=sys.stderr)
            return 1
        times = []
        for _ in range(args.hits):
            start = time.perf_counter()
            response = client.get(address, secure=True)
            times.append((time.perf_counter() - start) * 1000)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(
            f"| `{address}` | {len(response.content):,} | "
            f"{statistics.median(times):.2f} | {p95:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
