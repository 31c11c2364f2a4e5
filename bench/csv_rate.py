#!/usr/bin/env python
"""How fast the works CSV streams, in one process (Django's test client, no server):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_1m DB_STATEMENT_TIMEOUT=0 \\
        .venv/bin/python bench/csv_rate.py [--seconds 40]

Prints when the headers and the first bytes came, and the lines per second until the
download is cut. bench/run measures the same export through gunicorn, beside Datasette's.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("API_ANON_RATE", "1000000000/min")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=40, help="Cut the download after.")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    started = time.perf_counter()
    response = Client().get("/api/v1/works/?format=csv")
    print(f"status {response.status_code}, headers after {time.perf_counter() - started:.2f} s")
    lines, first = 0, None
    stream = iter(response.streaming_content)
    for chunk in stream:
        lines += chunk.count(b"\n")
        if first is None:
            first = time.perf_counter() - started
            print(f"first bytes after {first:.2f} s")
        if time.perf_counter() - started > args.seconds:
            break
    elapsed = time.perf_counter() - started
    response.close()
    print(f"{lines:,} lines in {elapsed:.1f} s: {lines / elapsed:,.0f} lines/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
