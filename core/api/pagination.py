"""Page numbers for browsing and a keyset cursor for sync."""

import base64
import binascii
import datetime
from collections import OrderedDict

from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import Q
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param

# Documented in docs/api.md and in the schema; raise them together.
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def parameter_error(name: str, message) -> exceptions.ValidationError:
    return exceptions.ValidationError({name: [message]})


class CatalogPagination(pagination.BasePagination):
    """Page numbers (`page`, `page_size` up to MAX_PAGE_SIZE) for browsing, and a cursor for
    sync (`mode=cursor`, then follow `next`).

    The cursor orders by (updated_at, id) and carries the last row's pair, so the next page
    starts strictly after it whatever was inserted, changed or deleted meanwhile: a record
    changed during a sync moves to the end and comes again, nothing is skipped or repeated
    by shifting offsets. The `ordering` parameter does not combine with it.
    """

    page_query_param = "page"
    page_size_query_param = "page_size"
    mode_query_param = "mode"
    cursor_query_param = "cursor"
    modes = ("page", "cursor")
    cursor_ordering = ("updated_at", "pk")

    def check_parameters(self, request):
        """Raise a ValidationError naming every malformed pagination parameter (a page beyond
        the last is found only when paginating)."""
        errors = {}
        for check in (self.get_mode, self.get_page_size, self.get_page_number):
            try:
                check(request)
            except exceptions.ValidationError as exc:
                errors.update(exc.detail)
        if errors:
            raise exceptions.ValidationError(errors)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.mode = self.get_mode(request)
        self.page_size = self.get_page_size(request)
        if self.mode == "cursor":
            return self.paginate_cursor(queryset, request)
        return self.paginate_pages(queryset, request)

    def get_mode(self, request) -> str:
        mode = request.query_params.get(self.mode_query_param)
        if mode is None:
            return "cursor" if self.cursor_query_param in request.query_params else "page"
        if mode not in self.modes:
            raise parameter_error(self.mode_query_param, _("Use `page` (the default) or `cursor`."))
        if mode == "page" and self.cursor_query_param in request.query_params:
            raise parameter_error(self.cursor_query_param, _("A cursor needs `mode=cursor`."))
        return mode

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return api_settings.PAGE_SIZE or DEFAULT_PAGE_SIZE
        size = positive_int(raw)
        if size is None or size > MAX_PAGE_SIZE:
            raise parameter_error(
                self.page_size_query_param,
                _("Enter a whole number from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE},
            )
        return size

    # Page numbers

    def get_page_number(self, request) -> int:
        number = positive_int(request.query_params.get(self.page_query_param, "1"))
        if number is None:
            raise parameter_error(self.page_query_param, _("Enter a whole number from 1."))
        return number

    def paginate_pages(self, queryset, request):
        number = self.get_page_number(request)
        paginator = DjangoPaginator(queryset, self.page_size)
        if number > paginator.num_pages:
            raise parameter_error(
                self.page_query_param,
                _("Page %(number)d is out of range: the last page is %(pages)d.")
                % {"number": number, "pages": paginator.num_pages},
            )
        self.page = paginator.page(number)
        self.count = paginator.count
        return list(self.page)

    def page_link(self, number: int | None) -> str | None:
        if number is None:
            return None
        url = self.request.build_absolute_uri()
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    # Cursor

    def paginate_cursor(self, queryset, request):
        if "ordering" in request.query_params:
            raise parameter_error(
                "ordering", _("Cursor mode always orders by updated_at, then id.")
            )
        self.count = queryset.count()
        queryset = queryset.order_by(*self.cursor_ordering)
        raw = request.query_params.get(self.cursor_query_param)
        if raw:
            updated_at, pk = self.decode_cursor(raw)
            queryset = queryset.filter(
                Q(updated_at__gt=updated_at) | Q(updated_at=updated_at, pk__gt=pk)
            )
        rows = list(queryset[: self.page_size + 1])
        self.has_next = len(rows) > self.page_size
        rows = rows[: self.page_size]
        self.last = rows[-1] if rows else None
        return rows

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

    def cursor_link(self) -> str | None:
        if not self.has_next or self.last is None:
            return None
        url = self.request.build_absolute_uri()
        url = replace_query_param(url, self.mode_query_param, "cursor")
        token = self.encode_cursor(self.last.updated_at, self.last.pk)
        return replace_query_param(url, self.cursor_query_param, token)

    # Response

    def get_links(self) -> tuple[str | None, str | None, str | None, str | None]:
        """(first, previous, next, last); cursor mode only goes forward."""
        if self.mode == "cursor":
            return None, None, self.cursor_link(), None
        page = self.page
        return (
            self.page_link(1),
            self.page_link(page.previous_page_number() if page.has_previous() else None),
            self.page_link(page.next_page_number() if page.has_next() else None),
            self.page_link(page.paginator.num_pages),
        )

    def get_paginated_response(self, data):
        first, previous, next_, last = self.get_links()
        links = [
            f'<{url}>; rel="{rel}"'
            for rel, url in (("first", first), ("prev", previous), ("next", next_), ("last", last))
            if url
        ]
        headers = {"Link": ", ".join(links)} if links else None
        body = OrderedDict(
            [("count", self.count), ("next", next_), ("previous", previous), ("results", data)]
        )
        return Response(body, headers=headers)

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": "Records matching the filters (all pages).",
                    "example": 123,
                },
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page or cursor position; null on the last.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The previous page; always null in cursor mode.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "in": "query",
                "required": False,
                "description": "Page number (page mode), from 1.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": f"Records per page, {DEFAULT_PAGE_SIZE} unless given, "
                f"{MAX_PAGE_SIZE} at most.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
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
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Opaque position from a cursor-mode `next` link.",
                "schema": {"type": "string"},
            },
        ]


def positive_int(raw: str) -> int | None:
    raw = raw.strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        return None
    value = int(raw)
    return value if value >= 1 else None
