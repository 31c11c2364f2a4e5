#!/usr/bin/env python
"""Searches within a few works, tested one by one, against the gathered matches.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_1m \\
        .venv/bin/python bench/within_check.py [--queries 30] [--pages 2] [--seed 1] \
        [--batches 1] [--within 2000]

A search within a list that holds at most core.pagination.ROWWISE_WITHIN works without it
tests each of them (`searched_within`) rather than gathering every match in the catalog. For
`--queries` searches (one and two Chinese characters cut from stored titles, four, an English
word of a stored title, a place's English name), each within one organisation's works and
within one batch's (drawn at random with `--seed`), this reads pages 1 to `--pages` of the API's
list (50 works) both ways and compares the works, their order, the count and whether it is
capped, then the facets the works page counts. Prints each pair's times (each way read twice,
alternating: the second times); exits 1 on any difference.

`--batches N` searches within N batches at once (500 works each at 1M) rather than one, and
`--within W` tests records one by one within up to W of them (core.pagination.ROWWISE_WITHIN)
for this run: together they show where testing each stops paying (docs/benchmarks.md,
eleventh pass).
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

FACETS = ["theme", "initiative", "batch", "place", "organisation"]


def sample(rng, queryset, n):
    """`n` records of `queryset` drawn by id (repeatable, unlike ORDER BY random())."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    return list(queryset.filter(pk__in=rng.sample(ids, min(n, len(ids)))).order_by("pk"))


def queries(rng, n):
    from catalog.models import Place, Work
    from core.search import whole_words

    titles = [w.title_original for w in sample(rng, Work.objects.public(), 4 * n)]
    english = [w.title for w in sample(rng, Work.objects.public(), 4 * n)]
    found = []
    for title in titles:
        chinese = [c for c in title if "\u4e00" <= c <= "\u9fff"]
        if len(chinese) >= 4:
            start = rng.randrange(len(chinese) - 3)
            size = rng.choice([1, 2, 4])
            found.append("".join(chinese[start : start + size]))
    for title in english:
        words = [w for w in whole_words(title) if len(w) > 2]
        if words:
            found.append(rng.choice(words))
    places = [p.name for p in Place.objects.public().order_by("pk") if p.name.isascii()]
    found += rng.sample(places, min(len(places), max(1, n // 5)))
    rng.shuffle(found)
    return list(dict.fromkeys(found))[:n]


def read(data, number, within):
    """(page ids, count, capped), facets, ms: the API's list read as the paginator reads it,
    with ROWWISE_WITHIN `within` (0: gathered)."""
    from django.core.paginator import EmptyPage

    from catalog.models import Work
    from core import pagination
    from public.facets import facet_counts
    from public.filters import WorkFilterSet

    saved = pagination.ROWWISE_WITHIN
    pagination.ROWWISE_WITHIN = within
    try:
        started = time.perf_counter()
        filterset = WorkFilterSet(data=data, queryset=Work.objects.public())
        assert filterset.is_valid(), filterset.errors
        paginator = pagination.CappedPaginator(filterset.qs, 50)
        try:
            page = [work.pk for work in paginator.page(number)]
        except EmptyPage:
            page = None
        result = (page, paginator.count, paginator.count_is_capped)
        facets = facet_counts(filterset, FACETS) if number == 1 else None
        return result, facets, (time.perf_counter() - started) * 1000
    finally:
        pagination.ROWWISE_WITHIN = saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--pages", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batches", type=int, default=1, help="batches per search")
    parser.add_argument("--within", type=int, default=None, help="ROWWISE_WITHIN for the run")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.http import QueryDict

    from catalog.models import Organisation
    from core import pagination
    from initiatives.models import Batch

    if args.within is not None:
        pagination.ROWWISE_WITHIN = args.within
    rng = random.Random(args.seed)
    organisations = sample(
        rng, Organisation.objects.public().annotate(n=Count("work_links")).filter(n__gt=0), 50
    )
    batches = sample(rng, Batch.objects.public(), 50 * args.batches)
    print(f"{connection.vendor} {connection.settings_dict['NAME']}")
    print(f"ROWWISE_WITHIN {pagination.ROWWISE_WITHIN}\n")
    differences, pages, times = 0, 0, {"within": [], "gathered": []}
    for query in queries(rng, args.queries):
        for name, records in (
            ("organisation", [rng.choice(organisations)]),
            ("batch", rng.sample(batches, args.batches)),
        ):
            data = QueryDict(mutable=True)
            data["q"] = query
            data.setlist(name, [record.slug for record in records])
            shown = records[0].slug + (f" and {len(records) - 1} more" if len(records) > 1 else "")
            for number in range(1, args.pages + 1):
                runs = {}
                for _ in range(2):  # alternating; the second run of each is kept
                    for way, within in (("within", pagination.ROWWISE_WITHIN), ("gathered", 0)):
                        runs[way] = read(data, number, within)
                (page, facets, ms), (gathered, gathered_facets, gathered_ms) = (
                    runs["within"],
                    runs["gathered"],
                )
                pages += 1
                times["within"].append(ms)
                times["gathered"].append(gathered_ms)
                same = page == gathered and facets == gathered_facets
                differences += not same
                print(
                    f"{'ok  ' if same else 'DIFF'} q={query!r} {name}={shown} page {number}: "
                    f"{page[1]} works{' (capped)' if page[2] else ''}, "
                    f"within {ms:.0f} ms, gathered {gathered_ms:.0f} ms"
                )
                if page[0] is None:
                    break
    print(
        f"\n{differences} differences in {pages} pages; median within "
        f"{statistics.median(times['within']):.0f} ms, gathered "
        f"{statistics.median(times['gathered']):.0f} ms"
    )
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
