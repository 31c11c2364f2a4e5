"""Page numbers for browsing (DRF's PageNumberPagination) and a keyset cursor for sync."""

import base64
import binascii
import datetime
from functools import partial

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.pagination import (
    COUNT_BOUND,
    CappedPaginator,
    KeptCountPaginator,
    kept_count,
    list_counted_as,
)

# Documented in docs/api.md and in the schema; raise them together.
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Page numbers reach this many records at most (page times page_size); beyond, the cursor mode.
# An OFFSET makes the database read and drop every row before the page, so a deep page
# costs what a full export costs; the cursor starts where the last page ended. The count
# stops at the same bound (core/pagination.py): pages and count end together.
MAX_PAGE_DEPTH = COUNT_BOUND


def parameter_error(name: str, message) -> exceptions.ValidationError:
    return exceptions.ValidationError({name: [message]})


def positive_int(raw: str) -> int | None:
    raw = raw.strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        return None
    value = int(raw)
    return value if value >= 1 else None


class CatalogPagination(pagination.PageNumberPagination):
    """Page numbers (`page`, `page_size` up to MAX_PAGE_SIZE) for browsing; `mode=cursor`
    hands the request to KeysetPagination for sync.

    What DRF's class does not: a malformed, out-of-range or too deep `page` and a
    `page_size` above the maximum are a 400 naming the parameter (DRF answers 404 or
    silently clamps), the `Link` header carries first, prev, next and last, and `count`
    stops at COUNT_BOUND (`count_is_capped` says so): an exact count of a million works
    reads every one of them on every page, a capped one at most COUNT_BOUND + 1."""

    django_paginator_class = CappedPaginator

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()
    template = None
    page_query_description = "Page number (page mode), from 1."
    page_size_query_description = (
        f"Records per page, {DEFAULT_PAGE_SIZE} unless given, {MAX_PAGE_SIZE} at most."
    )
    mode_query_param = "mode"
    modes = ("page", "cursor")

    def check_parameters(self, request):
        """Raise one ValidationError naming every malformed pagination parameter (a page
        beyond the last is found only when paginating, since it takes the count)."""
        errors = {}
        for check in (self.get_mode, self.get_page_size, self.requested_page):
            try:
                check(request)
            except exceptions.ValidationError as exc:
                errors.update(exc.detail)
        if errors:
            raise exceptions.ValidationError(errors)

    def get_mode(self, request) -> str:
        cursor_param = KeysetPagination.cursor_query_param
        mode = request.query_params.get(self.mode_query_param)
        if mode is None:
            return "cursor" if cursor_param in request.query_params else "page"
        if mode not in self.modes:
            raise parameter_error(self.mode_query_param, _("Use `page` (the default) or `cursor`."))
        if mode == "page" and cursor_param in request.query_params:
            raise parameter_error(cursor_param, _("A cursor needs `mode=cursor`."))
        return mode

    def paginate_queryset(self, queryset, request, view=None):
        self.cursor = None
        # The list's count is kept per list, filter and public state (core.pagination:
        # KeptCountPaginator), in both modes: the filters were checked (a 400 comes first)
        # and the view keeps its FilterSet (core.api.filters), none when the request names
        # no filter.
        counted_as = None
        if view is not None:
            filterset = getattr(view, "filterset", None)
            counted_as = list_counted_as(f"api-count:{view.basename}", filterset)
        if self.get_mode(request) == "cursor":
            self.cursor = KeysetPagination(self.get_page_size(request), counted_as)
            return self.cursor.paginate_queryset(queryset, request, view)
        if counted_as is not None:
            self.django_paginator_class = partial(KeptCountPaginator, counted_as=counted_as)
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = positive_int(raw)
        if size is None or size > self.max_page_size:
            raise parameter_error(
                self.page_size_query_param,
                _("Enter a whole number from 1 to %(max)d.") % {"max": self.max_page_size},
            )
        return size

    def requested_page(self, request) -> int:
        number = positive_int(request.query_params.get(self.page_query_param, "1"))
        if number is None:
            raise parameter_error(self.page_query_param, _("Enter a whole number from 1."))
        # A page starting within the first MAX_PAGE_DEPTH records is served (the last one
        # ends at the bound, as the capped count's last page does).
        if (number - 1) * self.get_page_size(request) >= MAX_PAGE_DEPTH:
            raise parameter_error(
                self.page_query_param,
                _(
                    "Pages reach the first %(depth)d records; to read further, use "
                    "`mode=cursor` and follow `next`."
                )
                % {"depth": MAX_PAGE_DEPTH},
            )
        return number

    def get_page_number(self, request, paginator) -> int:
        number = self.requested_page(request)
        paginator.read_page(number)  # a search: the page and its count in one query
        if number > paginator.num_pages:  # the count, once: the paginator keeps it
            raise parameter_error(
                self.page_query_param,
                _("Page %(number)d is out of range: the last page is %(pages)d.")
                % {"number": number, "pages": paginator.num_pages},
            )
        return number

    def page_link(self, number: int) -> str:
        url = self.request.build_absolute_uri()
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def get_paginated_response(self, data):
        if self.cursor is not None:
            return self.cursor.get_paginated_response(data)
        paginator = self.page.paginator
        response = Response(
            {
                "count": paginator.count,
                "count_is_capped": paginator.count_is_capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )
        links = [
            (self.page_link(1), "first"),
            (self.get_previous_link(), "prev"),
            (self.get_next_link(), "next"),
            (self.page_link(self.page.paginator.num_pages), "last"),
        ]
        response["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for url, rel in links if url)
        return response

    def get_paginated_response_schema(self, schema):
        body = super().get_paginated_response_schema(schema)
        body["required"] = ["count", "count_is_capped", "next", "previous", "results"]
        properties = body["properties"]
        properties["count"]["description"] = (
            f"Records matching the filters (all pages), exact up to {COUNT_BOUND}; "
            f"{COUNT_BOUND} when more match."
        )
        properties = {
            "count": properties.pop("count"),
            "count_is_capped": {
                "type": "boolean",
                "description": f"True when more than {COUNT_BOUND} records match: `count` "
                f"is then {COUNT_BOUND}, and pages stop there (the cursor mode does not).",
            },
            **properties,
        }
        body["properties"] = properties
        properties["next"]["description"] = "The next page or cursor position; null on the last."
        properties["previous"]["description"] = "The previous page; always null in cursor mode."
        return body

    def get_schema_operation_parameters(self, view):
        page, page_size = super().get_schema_operation_parameters(view)
        page["schema"]["minimum"] = 1
        page["description"] += (
            f" Pages reach the first {MAX_PAGE_DEPTH} records; beyond, use `mode=cursor`."
        )
        page_size["schema"].update(minimum=1, maximum=self.max_page_size)
        return [
            page,
            page_size,
            {
                "name": self.mode_query_param,
                "in": "query",
                "required": False,
                "description": "`page` (default) or `cursor`: for sync, ordered by "
                "(updated_at, id) and stable while records change; follow `next`. "
                "Does not combine with `ordering`.",
                "schema": {"type": "string", "enum": list(self.modes)},
            },
            {
                "name": KeysetPagination.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Opaque position from a cursor-mode `next` link.",
                "schema": {"type": "string"},
            },
        ]


class KeysetPagination(pagination.BasePagination):
    """The sync cursor: orders by (updated_at, id) and carries the last row's pair, so the
    next page starts strictly after it whatever was inserted, changed or deleted meanwhile:
    a record changed during a sync moves to the end and comes again, nothing is skipped or
    repeated by shifting offsets. (DRF's CursorPagination keys on one field plus an offset
    among equal values, which a deletion among those shifts.)"""

    cursor_query_param = "cursor"
    ordering = ("updated_at", "pk")

    def __init__(self, page_size: int, counted_as: str | None = None):
        self.page_size = page_size
        self.counted_as = counted_as

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        if "ordering" in request.query_params:
            raise parameter_error(
                "ordering", _("Cursor mode always orders by updated_at, then id.")
            )
        position = request.query_params.get(self.cursor_query_param)
        position = self.decode_cursor(position) if position else None
        self.count, self.count_is_capped = kept_count(queryset, self.counted_as)
        queryset = queryset.order_by(*self.ordering)
        if position:
            updated_at, pk = position
            # `updated_at >= …` first: the index range starts at the position (the OR alone
            # is a filter, and a cursor 50,000 works deep read those 50,000 first).
            queryset = queryset.filter(
                Q(updated_at__gte=updated_at),
                Q(updated_at__gt=updated_at) | Q(updated_at=updated_at, pk__gt=pk),
            )
        rows = list(queryset[: self.page_size + 1])
        self.last = rows[self.page_size - 1] if len(rows) > self.page_size else None
        return rows[: self.page_size]

    @staticmethod
    def encode_cursor(updated_at: datetime.datetime, pk: int) -> str:
        raw = f"{updated_at.isoformat()}|{pk}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode_cursor(self, value: str) -> tuple[datetime.datetime, int]:
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
            stamp, _sep, pk = raw.partition("|")
            updated_at = parse_datetime(stamp)
            pk = int(pk)
            if updated_at is None or updated_at.tzinfo is None or pk < 0 or pk >= 2**63:
                raise ValueError(value)
            updated_at = updated_at.astimezone(datetime.UTC)  # as the database compares
        except (ValueError, OverflowError, UnicodeDecodeError, binascii.Error):
            raise parameter_error(
                self.cursor_query_param,
                _("Not a cursor this API gave out: follow the `next` link."),
            ) from None
        return updated_at, pk

    def get_next_link(self) -> str | None:
        if self.last is None:
            return None
        url = self.request.build_absolute_uri()
        url = replace_query_param(url, CatalogPagination.mode_query_param, "cursor")
        token = self.encode_cursor(self.last.updated_at, self.last.pk)
        return replace_query_param(url, self.cursor_query_param, token)

    def get_paginated_response(self, data):
        next_ = self.get_next_link()
        headers = {"Link": f'<{next_}>; rel="next"'} if next_ else None
        body = {
            "count": self.count,
            "count_is_capped": self.count_is_capped,
            "next": next_,
            "previous": None,
            "results": data,
        }
        return Response(body, headers=headers)
