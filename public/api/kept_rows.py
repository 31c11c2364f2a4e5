"""A work's related rows in the API (its titles, themes, places, organisations, sources and
listings: public.api.rows.work_rows), kept in the shared cache per work and public state.

Written by the list's own query, those six JSON columns were most of a page's cost at 1M
works: six correlated subqueries for each work (88 µs of the database's time a work; for a
page of 50, 4.4 of the query's 5.8 ms, and most of its 1.5 ms of planning), and their text
parsed and written again in Python (docs/benchmarks.md, eighteenth pass).
They change only when something public does, so they are read once per public-state
version and work, by whichever request meets them first, and kept under a key that carries
the version (core.caching.public_state_key): a publication or a withdrawal retires
every entry at once, nothing to delete, so a withdrawn batch never shows in a kept listing.
A page then reads its works' own columns in one query and their rows in one round trip to
the cache; the works it lacks are read in one more query, together, and kept.

The rows are kept as the answer shows them (compact JSON text): a hit embeds them without
parsing (core.models.SerializedRows). A cache that is down answers as an empty one
(core.cache): every page reads its rows, as before, in two queries.

On by default where the shared cache is Redis (API_ROWS_CACHE_SECONDS); without it, the list's
query writes the rows itself (one query a page), as production's database cache would cost a
query per work to fill."""

from functools import cache as once

from django.conf import settings
from django.core.cache import cache

from catalog.models import Work
from core.caching import public_state_key
from core.models import CompactRows

from . import rows

COLUMNS = tuple(rows.work_rows())
EMPTY = (b"[]",) * len(COLUMNS)


def enabled() -> bool:
    return settings.API_ROWS_CACHE_SECONDS > 0


def attach(works) -> None:
    """Give each of `works` (instances read without the row columns) its row columns, as
    the list's query would have annotated them."""
    if not works:
        return
    prefix = public_state_key("work-rows")
    keys = {work.pk: f"{prefix}:{work.pk}" for work in works}
    kept = cache.get_many(keys.values())
    missing = [pk for pk, key in keys.items() if key not in kept]
    if missing:
        read = read_rows(missing)
        if read:
            cache.set_many(
                {keys[pk]: value for pk, value in read.items()}, settings.API_ROWS_CACHE_SECONDS
            )
        kept.update((keys[pk], value) for pk, value in read.items())
    for work in works:
        # A work deleted between the page's query and this one has no rows left to read
        # (its links went with it): it shows none, and nothing is kept for it.
        values = kept.get(keys[work.pk], EMPTY)
        for name, text in zip(COLUMNS, values, strict=True):
            setattr(work, name, CompactRows(text))


def read_rows(pks: list[int]) -> dict[int, tuple[bytes, ...]]:
    """The row columns of the works `pks`, each as compact JSON, in one query."""
    read = rows_query().filter(pk__in=pks)
    return {pk: tuple(value.compact() for value in values) for pk, *values in read}


@once
def rows_query():
    """Every work's row columns, built once per process: building the six annotations took
    about as long as the database took to read them (as CatalogReadOnlyViewSet.base_queryset
    found for the lists)."""
    return Work.objects.annotate(**rows.work_rows()).order_by().values_list("pk", *COLUMNS)
