"""Counts that stop at a bound, and page numbers that stop with them (issue 11).

An exact `COUNT(*)` of a million public works is read every time a list is shown, and an
OFFSET of page 40,000 reads every row before it. A list counts up to COUNT_BOUND + 1 rows
(`SELECT COUNT(*) FROM (SELECT … LIMIT 10001)`), exact below the bound and "more than
10,000" above it, and numbers its pages up to the bound: a page past it is not served (the
view sends the visitor to the last numbered page, where the page says to narrow the list
with filters). The API's pagination (core/api/pagination.py) may adopt `capped_count` too.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_BOUND = 10_000


def capped_count(queryset, bound: int = COUNT_BOUND) -> tuple[int, bool]:
    """(how many rows, whether there are more than `bound`): one query reading at most
    `bound + 1` rows. The count is exact when not capped, `bound` when capped."""
    # values("pk"): the rows' annotations (a list's JSON columns) are not computed to be
    # counted; those its filter uses stay in the WHERE clause.
    counted = queryset.order_by().values("pk")[: bound + 1].count()
    return min(counted, bound), counted > bound


class PageBeyondBound(Exception):
    """A page number past the last numbered page of a capped list."""

    def __init__(self, last: int):
        super().__init__(last)
        self.last = last


class CappedPaginator(Paginator):
    """A Paginator whose count stops at COUNT_BOUND (`count_is_capped` says it did) and whose
    pages stop there too: asking for one further raises PageBeyondBound."""

    bound = COUNT_BOUND

    @cached_property
    def _capped(self) -> tuple[int, bool]:
        if not hasattr(self.object_list, "query"):  # a list, as in tests
            count = len(self.object_list)
            return min(count, self.bound), count > self.bound
        return capped_count(self.object_list, self.bound)

    @cached_property
    def count(self) -> int:
        return self._capped[0]

    @property
    def count_is_capped(self) -> bool:
        return self._capped[1]

    def validate_number(self, number):
        try:
            return super().validate_number(number)
        except Exception:
            if self.count_is_capped and str(number).isdigit() and int(number) > self.num_pages:
                raise PageBeyondBound(self.num_pages) from None
            raise
