"""Counts that stop at a bound, and page numbers that stop with them (issue 11).

An exact `COUNT(*)` of a million public works is read every time a list is shown, and an
OFFSET of page 40,000 reads every row before it. A list counts up to COUNT_BOUND + 1 rows
(`SELECT COUNT(*) FROM (SELECT … LIMIT 10001)`), exact below the bound and "more than
10,000" above it, and numbers its pages up to the bound: a page past it is not served (the
view sends the visitor to the last numbered page, where the page says to narrow the list
with filters). The API's pagination (core/api/pagination.py) uses the same paginator. A search
reads its page and its count in one query (`CappedPaginator.read_page`); a search of one or
two characters whose own fields alone match more than the bound reads its page along the
list's order instead (`CappedPaginator.read_along`), and a ranked search whose whole-word
matches alone pass it reads its page along their words (`CappedPaginator.read_words`).
"""

import hashlib
import json

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, QuerySet, Window
from django.utils.functional import cached_property
from django_filters import OrderingFilter

from .caching import per_public_version
from .expressions import InSubquery, InValues
from .search import ROWWISE, SEARCH_FORM, UNSEARCHED, WORDS, SearchCandidates

COUNT_BOUND = 10_000
# A search's page is read along the list's order (CappedPaginator.read_along) from the first
# this many records per row of the page (it fills when 1 in 40 match: 茶香 at 1M, about 1 in
# 30), up to READ_ALONG_LIMIT records (page 10, of 50 works), past which the page is read from the
# gathered matches.
READ_ALONG_SPAN = 40
READ_ALONG_LIMIT = 20_000
# A search within a list of at most this many records without it is tested on each of them
# rather than gathered (searched_within).
ROWWISE_WITHIN = 2_000
# The annotation carrying the number of matches on every row of a page read with its count.
MATCHES = "matches_in_all"


def capped_count(queryset, bound: int = COUNT_BOUND) -> tuple[int, bool]:
    """(how many rows, whether there are more than `bound`): one query reading at most
    `bound + 1` rows. The count is exact when not capped, `bound` when capped."""
    # values("pk"): the rows' annotations (a list's JSON columns) are not computed to be
    # counted; those its filter uses stay in the WHERE clause.
    counted = queryset.order_by().values("pk")[: bound + 1].count()
    return min(counted, bound), counted > bound


def in_form(queryset, form):
    """`queryset` with its search (core.search.SearchCandidates) written in `form`."""
    queryset = queryset.all()
    setattr(queryset.query, SEARCH_FORM, form)
    return queryset


def search_of(queryset):
    """The queryset's search (core.search.SearchCandidates), when it has one."""
    found = [n for n in _nodes(queryset.query.where) if isinstance(n, SearchCandidates)]
    return found[0] if len(found) == 1 else None


def searched_within(queryset) -> tuple[QuerySet, int | None]:
    """(`queryset` with its search tested on each of its records (core.search: ROWWISE), how
    many records it holds without its search) when that is at most ROWWISE_WITHIN (their ids
    are read first, by the other filters' indexes, and stopped there); otherwise (`queryset`
    as it is, None).

    The gathered search fetches every match in the whole table before the list's other
    filters keep a few: "village" among one organisation's works at 1M gathered 191,010
    matches to keep 41 (0.7 s, 0.12 s tested on each), and the works page did it again for
    each facet it counted (7.3 s). The ids are named to the query: given only the filters,
    PostgreSQL may walk the whole list's order testing the search on each record (茶香 among
    6,000 works of 12 batches: 5.5 s, 0.5 s gathered). The bound on them is what every search
    outside a filter pays to find it is not within few: 2,001 ids read, 2 ms at 1M (10,001:
    7.5 ms); and past it a rare search gathers its few matches as fast as each record is
    tested (docs/benchmarks.md, eleventh pass)."""
    if getattr(queryset.query, SEARCH_FORM, None) is not None or search_of(queryset) is None:
        return queryset, None
    listed = in_form(queryset, UNSEARCHED).order_by().values_list("pk", flat=True)
    ids = list(listed[: ROWWISE_WITHIN + 1])
    if len(ids) > ROWWISE_WITHIN:
        return queryset, None
    return in_form(queryset.filter(InValues("pk", ids)), ROWWISE), len(ids)


def _nodes(node):
    """Every condition and expression under a WHERE node, depth first."""
    yield node
    if hasattr(node, "children"):
        children = node.children
    elif hasattr(node, "get_source_expressions"):
        children = node.get_source_expressions()
    else:  # NothingNode, ExtraWhere: no expressions below
        children = ()
    for child in children:
        if child is not None:
            yield from _nodes(child)


def past_the_bound(queryset, bound: int = COUNT_BOUND) -> bool:
    """Whether a searched list is known to hold more than `bound` records by an index alone, as
    a page of it is read (CappedPaginator.read_along, read_words: one of its branches, or its
    words, pass the bound); False when that does not tell."""
    paginator = CappedPaginator(queryset, 1)
    paginator.bound = bound
    return paginator.read_along(1, 0) or paginator.read_words(1, 0)


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

    @cached_property
    def counts_with_page(self) -> bool:
        """Whether the list is a search over a set of candidates gathered whole
        (core.search: InSubquery): its page query then ranks or sorts every match before
        the page is cut, so `COUNT(*) OVER ()` in that query costs nothing more, where a
        count query of its own gathered the candidates a second time (about 40 ms for four
        Chinese characters at 1M works, 0.6 s for a common English word). A list read along
        an index (no search) keeps its own bounded count: a window would read every row."""
        query = getattr(self.object_list, "query", None)
        return query is not None and any(
            isinstance(node, InSubquery) for node in _nodes(query.where)
        )

    def read_page(self, number) -> None:
        """For a search, read page `number` and the count in one query; `page()` and the
        count then use them. Nothing is read for a page past the matches (the count query
        says how far they go) or past the bound."""
        if not self.counts_with_page or "_capped" in self.__dict__:
            return
        try:
            number = int(number)
        except (TypeError, ValueError):
            return
        bottom = (number - 1) * self.per_page
        if number < 1 or bottom >= self.bound:
            return
        # A list that holds few records without its search is tested record by record; with
        # no more than the bound, its matches cannot pass it, and reading them along an index
        # would not fill a page.
        within, listed = searched_within(self.object_list)
        few = listed is not None and listed <= self.bound
        if not few and (self.read_along(number, bottom) or self.read_words(number, bottom)):
            return
        self.object_list = within
        window = self.object_list.annotate(**{MATCHES: Window(Count("pk"))})
        rows = list(window[bottom : bottom + self.per_page])
        if rows:
            total = getattr(rows[0], MATCHES)
            self.__dict__["_capped"] = (min(total, self.bound), total > self.bound)
            self._page_read = (number, rows[: self.count - bottom])

    @cached_property
    def search(self):
        """The list's search (core.search.SearchCandidates), when it has one."""
        return search_of(self.object_list)

    def read_along(self, number: int, bottom: int) -> bool:
        """Read page `number` of a search with many matches along the list's order: of the
        first READ_ALONG_SPAN public records per row of the page in that order, the ones
        that match, in order. When they fill the page, they are its rows exactly: every
        match after them comes after the span in the list's order.

        Only for a search that does not rank (core.search: under three characters), or that
        ranks only the names containing it when no name in the table does (`search.named`:
        every match then ranks 0), in the order it gave its list, over a model whose public
        order is an index (`SEARCH_ORDER_INDEXED`), and only when one of the search's
        branches alone passes the count's bound: that count is read by the branch's index
        and stopped at the bound (茶香 at 1M: 34,656 works, 20 ms), and it is the list's
        count. A search
        with fewer matches is read from its gathered matches (`read_page`), which costs
        little for them, without spending the span on it. True when the page was read
        here."""
        search = self.search
        queryset = self.object_list
        model = queryset.model
        if search is None or not search.along or not getattr(model, "SEARCH_ORDER_INDEXED", False):
            return False
        query = queryset.query
        order = tuple(query.order_by) or (
            tuple(model._meta.ordering) if query.default_ordering else ()
        )
        if not order or order != search.order:
            return False
        span = self.span(bottom)
        if span is None:
            return False
        if search.named is not None:
            # Asked of the whole table (one short query, from the names' indexes): a name
            # outside the list sends its page to the gathered matches, which are right for it
            # too, where compiling each branch against the list cost 8 ms (我在宁波 at 1M,
            # whose titles hold it). Otherwise it is read along the order it ranks within.
            if model._base_manager.filter(search.named).exists():
                return False
            order = order[1:]
        if not self.a_branch_passes_the_bound(search):
            return False
        strict = order if order[-1] == "pk" else (*order, "pk")
        first = model.objects.public().order_by(*strict).values("pk")[:span]
        return self.read_span(number, bottom, first, ROWWISE)

    def read_words(self, number: int, bottom: int) -> bool:
        """Read page `number` of a ranked search whose first rank is names holding its words
        whole (core.search: WHOLE_WORDS_RANK) from the works of its longest word in the list's
        order (Work.search_words: one range of an index): of the first READ_ALONG_SPAN
        of them per row of the page, the ones in the list (its filters, the public rule, the
        words' phrase), in order. When they fill the page, they are its rows exactly: each is
        of the first rank, and every other work of that rank comes later in the same order.
        "village" at 1M: 191,010 matches, each ranked by word similarity before.

        Only when that rank alone passes the count's bound, counted first by the same index
        and stopped at the bound: it is then the list's count. When no work in the list holds
        a one-word search's word whole, the next rank (core.search: BEGUN_WORDS_RANK, the word
        only begun: "villag", typed so far) is counted and read the same way, along the range
        of the words it begins. A search with fewer works of the first rank, or of the second
        when there are none of the first, is read from its gathered matches (`read_page`),
        page and count in one query. True when the page was read here.

        Not for a phrase with its last word begun ("the sil"): its works cluster in the list's
        order as a phrase's do, and at 1M the first span of them rarely filled a page (the
        counts and the span cost 180 ms before the gathered matches were read anyway)."""
        search = self.search
        queryset = self.object_list
        if search is None or not search.words or tuple(queryset.query.order_by) != search.order:
            return False
        span = self.span(bottom)
        if span is None:
            return False
        words = queryset.model.search_words
        whole = in_form(queryset.filter(InSubquery("pk", words(search.words))), WORDS)
        counted, capped = capped_count(whole, self.bound)
        if capped:
            return self.read_span(number, bottom, words(search.words, span), WORDS)
        if counted or len(search.words) > 1:
            return False
        # No work holds the word whole: those holding a word it begins come first.
        begun = in_form(queryset.filter(InSubquery("pk", words(search.words, begins=True))), WORDS)
        if not capped_count(begun, self.bound)[1]:
            return False
        return self.read_span(number, bottom, words(search.words, span, begins=True), WORDS)

    def span(self, bottom: int) -> int | None:
        """How many records in order a page starting at row `bottom` is read from
        (READ_ALONG_SPAN per row up to its end), or None past READ_ALONG_LIMIT."""
        span = (bottom + self.per_page) * READ_ALONG_SPAN
        return span if span <= READ_ALONG_LIMIT else None

    def read_span(self, number: int, bottom: int, first, form) -> bool:
        """Page `number` from the records `first` (ids, in the list's order), tested with the
        list's conditions and its search written in `form`; the count is capped (the caller
        found it past the bound). False, and nothing kept, when they do not fill the page.
        `= ANY(ARRAY(…))`: the span is read first, along its index, then its rows by id; as
        `IN (…)` the planner may scan the table for the matches and join the span."""
        found = in_form(self.object_list.filter(InSubquery("pk", first)), form)
        rows = list(found[bottom : bottom + self.per_page])
        if len(rows) < self.per_page:
            return False
        self.__dict__["_capped"] = (self.bound, True)
        self._page_read = (number, rows[: self.bound - bottom])
        return True

    def a_branch_passes_the_bound(self, search) -> bool:
        """Whether one of the search's branches alone (its own fields; for a search ranking
        its names, its other fields and each related path too) finds more than the bound,
        each read by its index and stopped there: the list's count is then capped."""
        tried, params = [], []
        for branch in range(search.branches):
            found = in_form(self.object_list, branch).order_by().values("pk")[: self.bound + 1]
            sql, more = found.query.sql_with_params()
            tried.append(f"WHEN (SELECT COUNT(*) FROM ({sql}) AS found) > %s THEN TRUE")
            params += [*more, self.bound]
        if not tried:
            return False
        # One query: the CASE tries each branch in turn and stops at the first past the bound.
        with connections[self.object_list.db].cursor() as cursor:
            cursor.execute("SELECT CASE " + " ".join(tried) + " ELSE FALSE END", params)
            return cursor.fetchone()[0]

    def page(self, number):
        self.read_page(number)
        read = getattr(self, "_page_read", None)
        if read is None or str(read[0]) != str(number).strip():
            return super().page(number)
        return self._get_page(read[1], self.validate_number(number), self)

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


class KeptCountPaginator(CappedPaginator):
    """A CappedPaginator whose count is kept once per public-state version under
    `counted_as` (core.caching.per_public_version; `list_counted_as` names a filtered
    list's): a list's count is the same on each of its pages, in any order and page size,
    until something is published or withdrawn. Counting a theme's 25,000 works to the bound
    took 5 to 18 ms at 1M works, and the whole catalog's first page 2 ms of its 16, on every
    page. A search's count is not kept (kept_count)."""

    def __init__(self, *args, counted_as: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.counted_as = counted_as

    @cached_property
    def _capped(self) -> tuple[int, bool]:
        if not hasattr(self.object_list, "query"):  # a list, as in tests
            return CappedPaginator._capped.func(self)
        return kept_count(self.object_list, self.counted_as, self.bound)


def kept_count(queryset, counted_as: str | None, bound: int = COUNT_BOUND) -> tuple[int, bool]:
    """capped_count(queryset), kept once per public-state version under `counted_as`
    (KeptCountPaginator); counted each time without a name, or for a search (its count is
    read with its page, or along an index, and an address with a search is rarely asked
    twice)."""
    if counted_as is None or search_of(queryset) is not None:
        return capped_count(queryset, bound)
    return per_public_version(f"{counted_as}:{bound}", lambda: capped_count(queryset, bound))


def list_counted_as(prefix: str, filterset=None, without=()) -> str:
    """The name a filtered list's count is kept under (KeptCountPaginator): `prefix` (the
    list) and the values of the filters `filterset` applies (none when it is None), those
    named in `without` left out (a facet's). Two addresses that filter alike share it:
    values in any order, and the list's ordering, page and other parameters left out. A
    digest, so a long value makes no long key."""
    applied = []
    if filterset is not None:
        data = filterset.data
        for name, field in sorted(filterset.filters.items()):
            if isinstance(field, OrderingFilter) or name in without:
                continue
            values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
            values = sorted(str(value) for value in values if value not in (None, ""))
            if values:
                applied.append([name, values])
    digest = hashlib.sha256(json.dumps(applied, ensure_ascii=False).encode()).hexdigest()
    return f"{prefix}:{digest[:32]}"
