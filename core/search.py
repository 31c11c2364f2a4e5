"""Text search shared by the site, the API and the search page.

Every database matches substrings (`icontains`), which is what a one- or two-character
Chinese query needs: "剧" must find "跟着微短剧去旅行". On PostgreSQL the trigram GIN indexes
(catalog migration 0003) make those substring scans fast, and for queries of three or more
characters pg_trgm's word similarity also admits near misses ("Macau" finds "Macao") and ranks
the results. Near misses are looked for in titles and names only (`SEARCH_NAMES`): there a
misspelt name helps a visitor, while in long free text (synopses, descriptions) almost any
query is "near" some word and the results fill with noise. SQLite takes the substring path
alone.
"""

from functools import reduce
from operator import or_

from django.db import connections
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Greatest

MAX_QUERY_LENGTH = 100
# pg_trgm's word_similarity runs 0..1; 0.5 admits one wrong letter in a five-letter word.
FUZZY_THRESHOLD = 0.5
TRIGRAM_MIN_LENGTH = 3


def normalise_query(value: str) -> str:
    """Collapse whitespace and drop NUL characters (no stored text holds one, and
    PostgreSQL refuses them in a query); the caller validates the length."""
    return " ".join((value or "").replace("\x00", "").split())


def text_search(queryset: QuerySet, query: str) -> QuerySet:
    """Rows of `queryset` whose names or text contain `query`, or (on PostgreSQL) whose
    names nearly do. The model says which fields those are: `SEARCH_NAMES` (titles and
    names) and `SEARCH_TEXT` (longer text such as a synopsis).

    On PostgreSQL the rows carry a `search_rank` annotation (higher is closer) and come
    closest first.
    """
    query = normalise_query(query)
    if not query:
        return queryset
    fuzzy_fields = list(queryset.model.SEARCH_NAMES)
    fields = fuzzy_fields + list(queryset.model.SEARCH_TEXT)
    contains = reduce(or_, (Q(**{f"{field}__icontains": query}) for field in fields))
    if connections[queryset.db].vendor != "postgresql" or len(query) < TRIGRAM_MIN_LENGTH:
        return queryset.filter(contains)

    from django.contrib.postgres.search import TrigramWordSimilarity

    similarities = [TrigramWordSimilarity(query, field) for field in fuzzy_fields]
    rank = similarities[0] if len(similarities) == 1 else Greatest(*similarities)
    # Closest first, then the queryset's own order; an explicit `ordering` filter applied
    # afterwards (FilterSets declare it last) replaces this.
    then = queryset.query.order_by or queryset.model._meta.ordering
    return (
        queryset.annotate(search_rank=rank)
        .filter(contains | Q(search_rank__gte=FUZZY_THRESHOLD))
        .order_by(F("search_rank").desc(), *then)
    )
