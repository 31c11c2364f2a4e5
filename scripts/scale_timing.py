"""Timings and plans of the main read queries (issue 11), for docs/benchmarks-scale.md.

Not a test: run against a generated catalog (generate_catalog), e.g.
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_100k DB_STATEMENT_TIMEOUT=0 \\
        .venv/bin/python scripts/scale_timing.py [--explain] [--repeat 5]
Each query runs `--repeat` times after one warm-up; the median is printed, in ms.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from django.db import connection  # noqa: E402

from catalog.models import Theme, Work  # noqa: E402
from core.pagination import capped_count  # noqa: E402
from public.filters import in_themes  # noqa: E402


def queries():
    theme = Theme.objects.public().order_by("position").first()
    public = Work.objects.public()
    themed = in_themes(public, theme=theme).order_by(*Work._meta.ordering, "pk")
    sample = public.exclude(title_original="").order_by("pk")[500].title_original
    two, four = sample[:2], sample[:4]
    yield "works list, page 1 (24)", lambda: list(public.values_list("pk", flat=True)[:24])
    yield "works list, capped count", lambda: capped_count(public)
    yield "works list, exact count", lambda: public.count()
    yield (
        "works list, page 400 (OFFSET 9,576)",
        lambda: list(public.values_list("pk", flat=True)[9576:9600]),
    )
    yield f"theme {theme.slug}: page 1 (24)", lambda: list(themed.values_list("pk", flat=True)[:24])
    yield f"theme {theme.slug}: capped count", lambda: capped_count(themed)
    yield f"theme {theme.slug}: exact count", lambda: themed.count()
    middle = public.order_by("updated_at", "pk")[len_public() // 2]
    yield (
        "sync cursor, deep page (50)",
        lambda: list(
            public.filter(updated_at__gt=middle.updated_at)
            .order_by("updated_at", "pk")
            .values_list("pk", flat=True)[:50]
        ),
    )
    for label, q in ((f"search 2 chars {two}", two), (f"search 4 chars {four}", four)):
        yield (
            label + ", page 1",
            lambda q=q: list(public.search(q).values_list("pk", flat=True)[:24]),
        )
        yield label + ", capped count", lambda q=q: capped_count(public.search(q))
    yield (
        "search 'heritage', page 1",
        lambda: list(public.search("heritage").values_list("pk", flat=True)[:24]),
    )
    yield "search 'heritage', capped count", lambda: capped_count(public.search("heritage"))


_count = None


def len_public():
    global _count
    if _count is None:
        _count = Work.objects.public().count()
    return _count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    print(f"{connection.vendor}, {len_public():,} public works")
    for label, run in queries():
        if args.only and args.only not in label:
            continue
        run()
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) * 1000)
        print(f"{statistics.median(times):9.1f} ms  {label}")
        if args.explain:
            connection.queries_log.clear()
            connection.force_debug_cursor = True
            run()
            connection.force_debug_cursor = False
            for q in connection.queries[-1:]:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF) " + q["sql"])
                    print("\n".join("      " + row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
