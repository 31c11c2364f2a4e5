"""Reading a search's page the way the site does, for the tests of the paginator's read paths
(core/pagination.py: read_along, read_words; their fixture `short_span` is in conftest.py).
PostgreSQL's: SQLite's search gathers."""

from unittest.mock import patch

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import pagination
from core.pagination import CappedPaginator

POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's read paths"
)


def read_page(queryset, number, *, per_page=3, bound=10, without=None, within=0):
    """Page `number` of `queryset` through CappedPaginator with the count's bound `bound`, its
    method `without` (read_along, read_words) switched off when given, so that the page comes
    from the gathered matches: (slugs, (count, capped), the SQL of each query). A list of at
    most `within` records without its search is tested record by record
    (core.pagination.ROWWISE_WITHIN); by default none is, as the tests' catalogs are small."""
    paginator = CappedPaginator(queryset, per_page)
    paginator.bound = bound
    if without:
        setattr(paginator, without, lambda number, bottom: False)
    with (
        patch.object(pagination, "ROWWISE_WITHIN", within),
        CaptureQueriesContext(connection) as queries,
    ):
        page = paginator.page(number)
        slugs = [work.slug for work in page]
        counted = (paginator.count, paginator.count_is_capped)
    return slugs, counted, [query["sql"] for query in queries]


def api_page(client, query, number, *, bound=10, per_page=3, within=0):
    """Page `number` of the API's works searched for `query`, with the count's bound `bound`
    and `within` as in `read_page`: (slugs, (count, capped), the SQL of each query)."""
    with (
        patch.object(CappedPaginator, "bound", bound),
        patch.object(pagination, "ROWWISE_WITHIN", within),
        CaptureQueriesContext(connection) as queries,
    ):
        params = {"q": query, "page_size": per_page, "page": number}
        body = client.get("/api/v1/works/", params).json()
    slugs = [work["slug"] for work in body["results"]]
    return slugs, (body["count"], body["count_is_capped"]), [q["sql"] for q in queries]
