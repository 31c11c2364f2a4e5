"""Text search shared by the site, the API and the search page.

What a model is searched by: its `SEARCH_NAMES` (titles and names) and `SEARCH_TEXT` (longer
text such as a synopsis), as substrings, case-insensitively, one character up ("剧" must find
"跟着微短剧去旅行"); and, when the model says so (`search_related(contains)`), rows it reaches
through other records (a work through its places, organisations, themes and other title
renderings: searching 宁波 finds the works filmed in Ningbo).

Every path is served by an index on PostgreSQL and, for works, on SQLite. For a model with
related paths the candidates are one UNION, each own field (a name's substring and its near
misses together) and each related path a branch of its own, fetched by primary key
(core.expressions.InSubquery): the planner reads each branch by its index and ranks only
what they found. ORed in one WHERE, PostgreSQL chose to scan the table and evaluate word
similarity on every row (1.2 s for four characters at 100,000 works, 0.1 s as branches;
docs/benchmarks-scale.md):

- **PostgreSQL, three characters and more**: trigram GIN indexes on `UPPER(field)`
  (catalog migration 0003) serve `icontains` (`UPPER(f) LIKE UPPER('%q%')`) exactly, and
  pg_trgm's word-similarity operator (`UPPER(q) <% UPPER(name)`, threshold
  `pg_trgm.word_similarity_threshold`, 0.6 by default) adds near misses in names ("Macau"
  finds "Macao"; not for Chinese, below). The rank (`word_similarity`) is computed for
  those candidates only.
- **PostgreSQL, one or two characters**: a trigram index cannot serve them (a pattern under
  three characters yields no trigram: the GIN index is read whole, 424 ms for a
  two-character `LIKE` at 100,000 works, slower than the scan). Measured at 100,000
  generated works (docs/benchmarks-scale.md): `LIKE` over titles and synopsis scans every
  row, about 500 ms; a GIN index on the expression `core_search_grams(title) || …` (every
  single character and every pair of adjacent characters, upper-cased; core migration 0002),
  matched with `@> ARRAY[UPPER(q)]`, answers in 2 ms (one character) to 10 ms (two, 2,346
  rows), and it is exact: a one- or two-character string occurs in a text if and only if it
  is one of the text's grams. A separate table of grams per work would be read the same way
  (a B-tree on the gram) but holds tens of rows per work and must be kept in step by every
  writer, bulk loads included; an expression index is kept by PostgreSQL itself (its cost:
  28 MB at 100,000 works, and slower bulk inserts). Models whose table is large declare
  `SEARCH_GRAMS_INDEXED = True` (with the index in their migration); small tables (places,
  themes...) are scanned, which costs less than computing their grams.
- **SQLite**: an FTS5 table with the trigram tokenizer over the same fields (catalog
  migration 0010, kept in step by triggers; SQLite >= 3.34) serves three characters and
  more with `MATCH '"q"'` (a substring match); shorter queries use `LIKE`, which FTS5's
  trigram index cannot serve either, over tables small enough to scan at the embedded scale.
  Models with such a table declare `SEARCH_FTS_TABLE`.

A search under three characters does not rank: its page is the first matches in the list's
order. When they are many (more than the count's bound in the model's own fields), the
paginator reads that page along the order's index, testing the first public records one by
one (`SearchCandidates`, core.pagination.CappedPaginator.read_along), rather than gathering
every match to sort them: 茶香 at 1M works, 34,656 matches, 210 ms gathered, 64 ms along.

A search of three characters and more ranks its matches (on PostgreSQL): by pg_trgm's word
similarity of the query and the closest name, computed for every match. For a common English
word that is most of the time: "village" at 1M works has 191,010 matches, 1.9 s. On a model
that keeps its names' words in a table ordered like its list (`search_words`: its title words,
written by PostgreSQL's triggers), a query in plain Latin letters and digits ranks first the
records whose names hold its words whole and in order, in the list's order (WHOLE_WORDS_RANK);
the paginator reads a page of them along that table's index when they alone pass the count's
bound (core.pagination.CappedPaginator.read_words): "village" at 1M, 60 ms.

A query without near misses (Chinese, below) ranks only the names that contain it; the works
it finds through their synopsis, places, organisations or themes alone follow, in the list's
order. When no name contains it and one branch alone passes the count's bound, its page is
read along that order as a short search's is (CappedPaginator.read_along): 浙江省 at 1M names
no work and finds 275,058 through the province's places, 1.2 s gathered and ranked, 107 ms
along. Ranked by similarity, a title sharing two of its characters (浙江) came first; it does
not contain the query, and the works filmed in the province are its matches alike.

Near misses are looked for in titles and names only: in long free text almost any query is
"near" some word and the results fill with noise. And only for a query without Chinese
characters: a misspelt name in a Latin script is a near miss worth forgiving, but in Chinese
one character off is another word (宁波 Ningbo, 宁海 Ninghai), and pg_trgm finds 我在宁海
"near" 我在宁波 (three of its five trigrams). At 1M generated works 3,065 contain 我在宁波
and 6,089 were found; matching them exactly takes the query from 88 to 38 ms.
"""

import re
import sqlite3
from functools import reduce
from operator import or_

from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest

from .expressions import InSubquery

MAX_QUERY_LENGTH = 100
# pg_trgm's `<%` operator admits a near miss at word similarity 0.6 and above (its default
# `pg_trgm.word_similarity_threshold`): one wrong letter in a five-letter word. The operator,
# unlike a comparison of `word_similarity()` with a constant, is served by the GIN index.
FUZZY_THRESHOLD = 0.6
TRIGRAM_MIN_LENGTH = 3
# FTS5's trigram tokenizer came with SQLite 3.34.
SQLITE_HAS_TRIGRAM = sqlite3.sqlite_version_info >= (3, 34, 0)


# Han characters: the CJK Unified Ideographs with their extensions and compatibility forms.
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def admits_near_misses(query: str) -> bool:
    """A query without Chinese characters may find near misses in names (the module's last
    paragraph says why not one with them)."""
    return HAN.search(query) is None


def normalise_query(value: str) -> str:
    """Collapse whitespace and drop NUL characters (no stored text holds one, and
    PostgreSQL refuses them in a query); the caller validates the length."""
    return " ".join((value or "").replace("\x00", "").split())


class HasSimilarWord(Func):
    """`UPPER(query) <% UPPER(field)`: the field holds a word close to the query (pg_trgm),
    in the form the trigram GIN index on `UPPER(field)` serves."""

    output_field = BooleanField()
    conditional = True
    template = "UPPER(%(expressions)s)"
    arg_joiner = ") <%% UPPER("

    def __init__(self, query: str, field: str):
        super().__init__(Value(query), F(field))


class HasGram(Func):
    """`core_search_grams(f1) || core_search_grams(f2) ... @> ARRAY[UPPER(query)]`: one of the
    fields holds the one- or two-character query, spelt as the expression index is (core
    migration 0002's function, the model's migration's index)."""

    output_field = BooleanField()
    conditional = True
    arg_joiner = " || "
    template = "(%(expressions)s) @> ARRAY[UPPER(%(query)s)]"

    def __init__(self, query: str, fields):
        grams = [Func(F(field), function="core_search_grams") for field in fields]
        super().__init__(*grams)
        self.query = query

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, query="%s", **extra_context)
        return sql, (*params, self.query)


# A query in plain Latin letters and digits: its words are the runs of them, lower-cased, the
# same in Python as in the database (core_search_words; the ctype's letters are ASCII's here).
PLAIN_WORD = re.compile(r"[a-z0-9]+")
# The rank of a name holding the query's words whole, in order (above word similarity's 0 to 1),
# and of one holding them with the last only begun ("quiet villag": "The Quiet Villagers").
WHOLE_WORDS_RANK = 2.0
BEGUN_WORDS_RANK = 1.5


def whole_words(query: str) -> list[str]:
    """The query's words, for a query in plain Latin letters and digits (`PLAIN_WORD`); none
    for any other (Chinese has no spaces between its words)."""
    return PLAIN_WORD.findall(query.lower()) if query.isascii() else []


def holds_phrase(model, words, begins: bool = False) -> Q:
    """One of the model's names holds `words` whole, in order, with nothing but spaces or
    punctuation between them: "tea road" in "The Tea-Road", not in "Tea Roads" or "Road
    Tea"; as core_search_words splits them (a regular expression: computing a name's words
    took 0.5 s for 26,447 works at 1M, the expression 30 ms). With `begins`, the last word
    need only begin a word: "tea road" in "Tea Roads" too."""
    end = "" if begins else r"([^[:alnum:]]|$)"
    pattern = r"(^|[^[:alnum:]])" + r"[^[:alnum:]]+".join(words) + end
    return reduce(or_, (Q(**{f"{name}__iregex": pattern}) for name in model.SEARCH_NAMES))


def search_fields(model) -> list[str]:
    return list(model.SEARCH_NAMES) + list(getattr(model, "SEARCH_TEXT", ()))


def contains_any(fields, query: str) -> Q:
    return reduce(or_, (Q(**{f"{field}__icontains": query}) for field in fields))


def own_matches(model, query: str, vendor: str) -> list[Q]:
    """Conditions on the model's own search fields, each in the form the database's index
    serves; a row matches when any does. Kept apart so that each can be its own branch of
    a UNION: ORed in one WHERE, PostgreSQL prices the word-similarity operator as cheap and
    scans the table, evaluating it on every row (1.2 s at 100,000 works)."""
    fields = search_fields(model)
    short = len(query) < TRIGRAM_MIN_LENGTH
    if vendor == "postgresql":
        if short and getattr(model, "SEARCH_GRAMS_INDEXED", False):
            return [Q(HasGram(query, fields))]
        if short:
            return [Q(**{f"{field}__icontains": query}) for field in fields]
        # A name's substring and its near misses in one condition: both are read from the
        # name's trigram index and OR'ed as bitmaps, so the rows are fetched once. As two
        # branches of the union every matching row was fetched twice ("village" at 1M:
        # 26,447 titles, 338 -> 221 ms).
        near = admits_near_misses(query)
        names = [
            Q(**{f"{field}__icontains": query}) | (Q(HasSimilarWord(query, field)) if near else Q())
            for field in model.SEARCH_NAMES
        ]
        text = [Q(**{f"{field}__icontains": query}) for field in getattr(model, "SEARCH_TEXT", ())]
        return names + text
    fts = getattr(model, "SEARCH_FTS_TABLE", None)
    if vendor == "sqlite" and fts and SQLITE_HAS_TRIGRAM and not short:
        phrase = '"' + query.replace('"', '""') + '"'
        return [Q(pk__in=RawSQL(f'SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s', [phrase]))]
    return [contains_any(fields, query)]


class SearchCandidates(Expression):
    """`pk IN (the candidates)`, the gathered form above (InSubquery), which can also be
    written as the same condition row by row, as one of the model's own branches alone, as
    the rest of the whole-words condition, or not at all (to count the list without it).

    core.pagination reads a page of a search with many matches along the list's order (a
    query whose SEARCH_FORM is ROWWISE): the first public records in order are tested one
    by one (each field's substring, each related path's ids as a subquery), where the
    gathered form fetches and sorts every match before the page is cut (茶香 at 1M: 34,656
    works). It counts one own branch at a time (SEARCH_FORM the branch's index), each read
    by its index and stopped at the count's bound. A ranked search whose first rank is names
    holding its words whole (`words`) has its page read along the works of its longest word
    in the list's order (WORDS: the query then names those works itself, and this condition
    is the rest, the phrase of several words); so has a one-word search whose word no name
    holds whole, along the words it begins. A list that holds few records without its search
    (UNSEARCHED: their ids are read first) tests each of them row by row, whatever the search
    (core.pagination.searched_within): "village" among one organisation's works gathered its
    191,010 matches to keep 41. Every other query renders the gather.
    `order` is the order the search gave its queryset; `along` whether its page may be read
    along it (on PostgreSQL, a search that does not rank, or one that ranks only the names
    containing it, `named`, when none does)."""

    output_field = BooleanField()
    conditional = True

    def __init__(
        self, candidates, rowwise: Q, branches, order, along: bool, words=(), rest=None, named=None
    ):
        super().__init__()
        # The gather, the rowwise condition, the whole words' rest, none (the list without
        # its search), then each own branch.
        rest = rest if rest is not None else Value(True)
        self.forms = [InSubquery("pk", candidates), rowwise, rest, Value(True), *branches]
        self.order = tuple(order)
        self.along = along
        self.words = list(words)
        # The names a ranked search ranks, when it ranks only those (its other matches come
        # after them in the list's order): a condition on the model.
        self.named = named

    def get_source_expressions(self):
        return self.forms

    def set_source_expressions(self, exprs):
        self.forms = list(exprs)

    @property
    def branches(self) -> int:
        return len(self.forms) - 4

    def as_sql(self, compiler, connection, **extra_context):
        form = getattr(compiler.query, SEARCH_FORM, None)
        named = {None: 0, ROWWISE: 1, WORDS: 2, UNSEARCHED: 3}
        index = named[form] if form in named else 4 + form
        return compiler.compile(self.forms[index])


# The attribute of a Query that says how its SearchCandidates is written: ROWWISE, WORDS,
# UNSEARCHED (the list without its search), the index of an own branch, or (absent) the gather.
SEARCH_FORM = "search_form"
ROWWISE = "rowwise"
WORDS = "words"
UNSEARCHED = "unsearched"


def rowwise_matches(own: Q, related_parts) -> Q:
    """The condition of `text_search`'s candidates tested on each row: `own`, the model's own
    fields' conditions, or the ids a related path finds."""
    condition = own
    for part in related_parts:
        # A subquery the planner hashes once: the few records named are found first
        # (InSubquery in Work.search_related), then their links. With the places found by
        # `IN (…)`, PostgreSQL did not hash it and scanned it again for every row (宁 at
        # 1M, a place's 55,806 links: 9 s for 2,000 rows). EXISTS probed per row: 48 ms for
        # 茶香's 2,000 rows, against 34 ms hashed.
        condition |= Q(pk__in=part)
    return condition


def text_search(queryset: QuerySet, query: str) -> QuerySet:
    """Rows of `queryset` whose names or text contain `query`, or that reach such a record
    (`search_related`), or (on PostgreSQL) whose names nearly contain it.

    On PostgreSQL, for three characters and more, the rows carry a `search_rank` annotation
    and come highest first, then in the queryset's own order: 2 (WHOLE_WORDS_RANK) for a
    name holding the query's words whole and in order, for a query in plain Latin letters
    and digits on a model that keeps its names' words (`search_words`: "village" finds "The
    Quiet Village" before "Villagers"); otherwise pg_trgm's word similarity of the query
    and the closest name, 0 to 1 (1 when a name holds it exactly, as letters).
    """
    query = normalise_query(query)
    if not query:
        return queryset
    model = queryset.model
    vendor = connections[queryset.db].vendor
    ranked = vendor == "postgresql" and len(query) >= TRIGRAM_MIN_LENGTH
    then = tuple(queryset.query.order_by or model._meta.ordering)
    order = (F("search_rank").desc(), *then) if ranked else then
    matches = own_matches(model, query, vendor)
    related = getattr(model, "search_related", None)
    words = whole_words(query) if ranked and hasattr(model, "search_words") else []
    whole, named = None, None
    if related is None:
        queryset = queryset.filter(reduce(or_, matches))
    else:
        # One set of candidates, each path by its own index: an OR of subqueries in the
        # outer WHERE would make PostgreSQL test every row.
        names = lambda fields: contains_any(fields, query)  # noqa: E731
        own = [model._base_manager.filter(m).order_by().values("pk") for m in matches]
        linked = [part.order_by() for part in related(names)]
        candidates = own[0].union(*own[1:], *linked)
        # The other forms serve core.pagination, on PostgreSQL, for a search that does not
        # rank (its page is the first matches in the list's order), for one that ranks only
        # names containing it (no near misses: Chinese) when no name does, and for one whose
        # first rank is whole words.
        if ranked and not admits_near_misses(query):
            named = contains_any(model.SEARCH_NAMES, query)
        along = vendor == "postgresql" and (named is not None or not ranked)
        # Tested row by row, a name's substring (and its near misses, for a query that admits
        # them) as the branches' conditions say; under three characters on PostgreSQL as a
        # substring, where the branch reads the grams' index.
        own = contains_any(search_fields(model), query) if along else reduce(or_, matches)
        rowwise = rowwise_matches(own, linked)
        rest = holds_phrase(model, words) if len(words) > 1 else None
        branches = matches if along else []
        if named is not None:
            # Each related path is a branch too (a place's name finds most of what it finds);
            # the names are not: none holds it when its page is read along.
            names = len(model.SEARCH_NAMES)
            branches = [*matches[names:], *(Q(pk__in=part) for part in linked)]
        search = SearchCandidates(
            candidates, rowwise, branches, order, along, words, rest, named=named
        )
        queryset = queryset.filter(search)
        if words:
            # The phrase's words in order, the last whole or only begun.
            whole, begun = (
                Q(model.holds_words(words, begins))
                & (holds_phrase(model, words, begins) if len(words) > 1 else Q())
                for begins in (False, True)
            )
    if not ranked:
        return queryset

    from django.contrib.postgres.search import TrigramWordSimilarity

    similarities = [TrigramWordSimilarity(query, field) for field in model.SEARCH_NAMES]
    rank = similarities[0] if len(similarities) == 1 else Greatest(*similarities)
    if named is not None:
        # Only a name containing the query is close to it: the works found through their
        # synopsis, places, organisations or themes alone come after, in the list's order
        # (浙江省 at 1M: 275,058 works, each ranked by its title's few shared trigrams).
        rank = Case(
            When(named, then=rank),
            default=Value(0.0),
            output_field=FloatField(),
        )
    if whole is not None:
        # A name holding the words whole has word similarity 1 too: ranked above it, those
        # works come in the list's order, which the words' index reads (Work.search_words).
        # Then those whose last word is only begun ("villag", typed so far), in that order too.
        rank = Case(
            When(whole, then=Value(WHOLE_WORDS_RANK)),
            When(begun, then=Value(BEGUN_WORDS_RANK)),
            default=rank,
            output_field=FloatField(),
        )
    # Highest first, then the queryset's own order; an explicit `ordering` filter applied
    # afterwards (FilterSets declare it last) replaces this.
    return queryset.annotate(search_rank=rank).order_by(*order)
