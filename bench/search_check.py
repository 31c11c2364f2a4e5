#!/usr/bin/env python
"""Search correctness against brute force: does `Work.objects.public().search(q)` (what the
API's and the site's `q` use) find every work whose searched fields contain `q`, and only
those?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_100k \\
        .venv/bin/python bench/search_check.py [--per-length 100] [--words 50] [--seed 1]

Queries: `--per-length` random substrings of 1, 2 and 4 characters cut from stored Chinese
titles, and `--words` English words from stored English titles. Expected: a Python scan over
every public work of the fields the model searches (`SEARCH_NAMES` + `SEARCH_TEXT`,
case-insensitive substring) and of what else finds a work (`Work.search_related`: its other
title renderings, the names of its public places and of the places they lie in, of its public
organisations and themes). Reported per kind: misses (expected, not found), false hits
(found, containing no match and not a near miss), and near misses separately (found by the
fuzzy path: the queryset's `search_rank` at or above core.search.FUZZY_THRESHOLD). Writes
bench/results/search-check-<database>.json; exits 1 when any query missed or hit falsely.
"""

import argparse
import json
import os
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def related_texts() -> dict[int, list[str]]:
    """Work id → the other texts that find it, read the way `Work.search_related` reads
    them (a public place, organisation or theme; a place's ancestors by name)."""
    from collections import defaultdict

    from catalog.models import (
        PLACE_SEARCH_DEPTH,
        Organisation,
        Place,
        Theme,
        Work,
        WorkOrganisation,
        WorkPlace,
        WorkTitle,
    )

    texts: dict[int, list[str]] = defaultdict(list)
    for work_id, title in WorkTitle.objects.values_list("work_id", "title"):
        texts[work_id].append(title)
    places = {
        pk: (name, original, parent)
        for pk, name, original, parent in Place.objects.values_list(
            "pk", "name", "name_original", "parent_id"
        )
    }
    public_places = set(Place.objects.public().values_list("pk", flat=True))

    def place_names(pk):
        names = []
        for _depth in range(PLACE_SEARCH_DEPTH):
            if pk is None:
                break
            name, original, pk = places[pk]
            names += [name, original]
        return names

    chain = {pk: place_names(pk) for pk in public_places}
    for work_id, place_id in WorkPlace.objects.values_list("work_id", "place_id"):
        texts[work_id] += chain.get(place_id, [])
    organisations = {
        pk: [name, original]
        for pk, name, original in Organisation.objects.public().values_list(
            "pk", "name", "name_original"
        )
    }
    for work_id, org_id in WorkOrganisation.objects.values_list("work_id", "organisation_id"):
        texts[work_id] += organisations.get(org_id, [])
    themes = {
        pk: [name, original]
        for pk, name, original in Theme.objects.public().values_list("pk", "name", "name_original")
    }
    for work_id, theme_id in Work.themes.through.objects.values_list("work_id", "theme_id"):
        texts[work_id] += themes.get(theme_id, [])
    return texts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-length", type=int, default=100)
    parser.add_argument("--words", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="", help="JSON path (default bench/results/...).")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection

    from catalog.models import Work
    from core.search import FUZZY_THRESHOLD

    fields = list(Work.SEARCH_NAMES) + list(Work.SEARCH_TEXT)
    started = time.monotonic()
    rows = list(Work.objects.public().order_by("pk").values_list("pk", *fields))
    related = related_texts()
    haystack = [
        (pk, [(value or "").casefold() for value in [*values, *related.get(pk, ())]])
        for pk, *values in rows
    ]
    print(f"{connection.vendor} {connection.settings_dict['NAME']}: {len(rows):,} public works")

    rng = random.Random(args.seed)
    chinese = [title for _pk, title in Work.objects.public().values_list("pk", "title_original")]
    chinese = [t for t in chinese if re.search(r"[\u4e00-\u9fff]", t or "")]
    english = sorted(
        {
            word
            for title in Work.objects.public().exclude(title="").values_list("title", flat=True)
            for word in re.findall(r"[A-Za-z]{3,}", title)
        }
    )
    queries: list[tuple[str, str]] = []
    for length in (1, 2, 4):
        for _ in range(args.per_length):
            title = rng.choice(chinese)
            # Only runs of Chinese characters, as a visitor would type them.
            runs = [r for r in re.findall(r"[\u4e00-\u9fff]+", title) if len(r) >= length]
            if not runs:
                continue
            run = rng.choice(runs)
            start = rng.randrange(len(run) - length + 1)
            queries.append((f"zh{length}", run[start : start + length]))
    for word in rng.sample(english, min(args.words, len(english))):
        queries.append(("en", word))

    report: dict[str, dict] = {}
    examples: list[dict] = []
    for kind, query in queries:
        needle = query.casefold()
        expected = {pk for pk, values in haystack if any(needle in v for v in values)}
        t0 = time.monotonic()
        qs = Work.objects.public().search(query)
        ranked = "search_rank" in qs.query.annotations
        found = dict(qs.values_list("pk", "search_rank") if ranked else qs.values_list("pk", "pk"))
        elapsed = time.monotonic() - t0
        misses = expected - found.keys()
        extra = found.keys() - expected
        near = {pk for pk in extra if ranked and (found[pk] or 0) >= FUZZY_THRESHOLD}
        false = extra - near
        line = report.setdefault(
            kind,
            {
                "queries": 0,
                "expected_rows": 0,
                "found_rows": 0,
                "misses": 0,
                "queries_with_misses": 0,
                "false_hits": 0,
                "near_misses": 0,
                "seconds": 0.0,
            },
        )
        line["queries"] += 1
        line["expected_rows"] += len(expected)
        line["found_rows"] += len(found)
        line["misses"] += len(misses)
        line["queries_with_misses"] += bool(misses)
        line["false_hits"] += len(false)
        line["near_misses"] += len(near)
        line["seconds"] = round(line["seconds"] + elapsed, 3)
        if (misses or false) and len(examples) < 20:
            examples.append(
                {
                    "kind": kind,
                    "query": query,
                    "expected": len(expected),
                    "found": len(found),
                    "misses": sorted(misses)[:5],
                    "false_hits": sorted(false)[:5],
                }
            )

    print("| kind | queries | expected rows | found rows | misses | false hits | near misses "
          "(fuzzy) | mean query s |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for kind, line in report.items():
        print(
            f"| {kind} | {line['queries']} | {line['expected_rows']:,} | {line['found_rows']:,} "
            f"| {line['misses']} | {line['false_hits']} | {line['near_misses']} | "
            f"{line['seconds'] / max(line['queries'], 1):.3f} |"
        )
    for example in examples:
        print("  ", example)
    failed = any(line["misses"] or line["false_hits"] for line in report.values())
    print(("FAILED: misses or false hits" if failed else "OK: no misses, no false hits") +
          f" ({time.monotonic() - started:.0f} s)")  # fmt: skip
    out = Path(args.out) if args.out else (
        ROOT / "bench" / "results" / f"search-check-{connection.settings_dict['NAME']}.json"
    )  # fmt: skip
    if not args.out and connection.vendor != "postgresql":
        out = ROOT / "bench" / "data" / "search-check-sqlite.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "database": connection.settings_dict["NAME"],
                "works": len(rows),
                "seed": args.seed,
                "kinds": report,
                "examples": examples,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
