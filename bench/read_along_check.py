#!/usr/bin/env python
"""Pages of searches read along an index, against the gathered pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_1m \\
        .venv/bin/python bench/read_along_check.py [--queries 40] [--pages 3] [--seed 1] \\
        [--words | --begun | --places]

A search under three characters with many matches reads its page along the list's order
(core.pagination.CappedPaginator.read_along). For `--queries` random substrings of one and
two characters cut from stored Chinese titles, this reads pages 1 to `--pages` (50 works
each, the API's list order) both ways, along the order and from the gathered matches, and
compares the works, their order, the count and whether it is capped. Prints each query's
times (each way read twice, alternating: the second times) and which way its page was read;
exits 1 on any difference.

With `--words`, the queries are English words of stored titles, one word or two adjacent
ones, and the pages are read along their words (`CappedPaginator.read_words`: the whole-word
rank) against the gathered, ranked matches. With `--begun`, each query is the beginning of an
English word of a stored title, three letters up to one short of the word ("villag"), as
someone typing it has it: read along the words it begins when none is whole (the next rank).
With `--places`, the queries are the Chinese names of public places of three characters and
more (浙江省): ranked, but read along the list's order when no name contains them.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def read(queryset, number, along, method="read_along"):
    from django.core.paginator import EmptyPage

    from core.pagination import CappedPaginator

    paginator = CappedPaginator(queryset, 50)
    read_along, used = getattr(paginator, method), []

    def chosen(number, bottom):
        used.append(along and read_along(number, bottom))
        return used[-1]

    setattr(paginator, method, chosen)
    started = time.perf_counter()
    try:
        page = [work.pk for work in paginator.page(number)]
    except EmptyPage:  # past the last match: both ways must say so
        page = None
    result = (page, paginator.count, paginator.count_is_capped)
    return result, (time.perf_counter() - started) * 1000, bool(used and used[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--words", action="store_true", help="English words, whole")
    parser.add_argument("--begun", action="store_true", help="English words, begun")
    parser.add_argument("--places", action="store_true", help="places' Chinese names")
    args = parser.parse_args()

    import django

    django.setup()
    from catalog.models import Place, Work
    from core.search import HAN, whole_words
    from public.api.views import WorkViewSet

    rng = random.Random(args.seed)
    english = args.words or args.begun
    method = "read_words" if english else "read_along"
    queries = set()
    if english:
        # Generated titles come in no order of id: the first 5,000 are a sample.
        titles = list(
            Work.objects.public()
            .exclude(title="")
            .order_by("pk")
            .values_list("title", flat=True)[:5000]
        )
        while len(queries) < args.queries:
            words = whole_words(rng.choice(titles))
            if args.begun:
                word = rng.choice(words)
                if len(word) > 3:
                    queries.add(word[: rng.randrange(3, len(word))])
                continue
            length = rng.choice((1, 2))
            start = rng.randrange(max(1, len(words) - length + 1))
            query = " ".join(words[start : start + length])
            if len(query) >= 3:
                queries.add(query)
    elif args.places:
        names = sorted(
            name
            for name in Place.objects.public().values_list("name_original", flat=True)
            if len(name) >= 3 and all(HAN.match(c) for c in name)
        )
        queries = set(rng.sample(names, min(args.queries, len(names))))
    else:
        titles = list(
            Work.objects.public()
            .exclude(title_original="")
            .order_by("pk")
            .values_list("title_original", flat=True)[:5000]
        )
    while not english and not args.places and len(queries) < args.queries:
        title = rng.choice(titles)
        length = rng.choice((1, 2))
        start = rng.randrange(max(1, len(title) - length + 1))
        query = title[start : start + length]
        if len(query) == length and all(HAN.match(c) for c in query):
            queries.add(query)

    differences = 0
    for query in sorted(queries):
        for number in range(1, args.pages + 1):
            # Each way twice, alternating; the second times are printed (the first of a
            # query warms the cache for the other way).
            for _ in range(2):
                along, along_ms, used = read(
                    WorkViewSet.build_queryset().search(query), number, True, method
                )
                gathered, gathered_ms, _ = read(
                    WorkViewSet.build_queryset().search(query), number, False, method
                )
            same = along == gathered
            differences += not same
            print(
                f"{query}\tpage {number}\t{'along' if used else 'gathered'}\t"
                f"{along_ms:7.1f} ms\tgathered {gathered_ms:7.1f} ms\t"
                f"count {along[1]}{'+' if along[2] else ''}\t{'same' if same else 'DIFFERENT'}"
            )
    print(f"{len(queries)} queries, {args.pages} pages each: {differences} differences")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
