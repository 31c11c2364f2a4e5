"""The base of every API viewset: list and detail by slug, CSV streamed on lists, and
conditional GET (ETag, Last-Modified, 304) with Cache-Control.

The validators come from the public-state stamp (core.models.PublicState), which moves
whenever anything public changes and only then: a 304 costs one query and no rendering, an
editor's work on drafts changes no validator, and a withdrawal changes both.

With a shared cache configured (API_CACHE_SECONDS, on by default when REDIS_URL is set), a
list page or a record is built once per public-state version: its data and headers are kept
under a key carrying the version (publishing retires every entry at once, nothing to
delete), the address (host, path, query), the format and the language. Authentication and
throttling run before (DRF's `initial()`), so a cached answer still counts against the
caller's rate; no answer depends on which key asked, so anonymous callers and partners
share entries. A cache that is down answers as an empty one (core.cache): the view builds
the page as before."""

import csv
import hashlib
from collections.abc import Callable, Iterator
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.decorators.http import condition
from rest_framework import exceptions, viewsets
from rest_framework.response import Response

from core.models import PublicState

from .renderers import CSVRenderer, Echo, csv_cell
from .throttling import is_partner

# Seconds a shared cache (CDN, proxy) may serve an anonymous read without asking again.
ANONYMOUS_MAX_AGE = 60
CSV_CHUNK_SIZE = 500

# A CSV column that copies the serialized field of its own name.
COPY = None


def _public_state(request) -> PublicState:
    # `condition` asks for the ETag, then Last-Modified: read the row once per request.
    if not hasattr(request, "_public_state"):
        request._public_state = PublicState.current()
    return request._public_state


def public_etag(request, *args, **kwargs) -> str:
    """The public state's version, and the format: the same address answers the same bytes
    until something public changes."""
    return f'"{_public_state(request).version}-{request.accepted_renderer.format}"'


def public_last_modified(request, *args, **kwargs):
    return _public_state(request).changed_at


public_validators = method_decorator(
    condition(etag_func=public_etag, last_modified_func=public_last_modified)
)


class CatalogReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """List and detail by slug, JSON or (lists) CSV, with ETag/Last-Modified validators.

    Subclasses give `get_queryset()` (ordered, with its relations prefetched),
    `serializer_class`, `filterset_class` (the FilterSet the HTML list uses too) and
    `csv_columns` (CSV header → function of one serialized record, or COPY for the
    serialized field of the same name)."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    csv_columns: dict[str, Callable[[dict], Any] | None] = {}

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action != "list":
            renderers = [r for r in renderers if not isinstance(r, CSVRenderer)]
        return renderers

    @public_validators
    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset_reporting_all_errors()
        if request.accepted_renderer.format == CSVRenderer.format:
            return self.stream_csv(queryset)
        return self.cached(request, lambda: self.build_page(queryset))

    def build_page(self, queryset) -> Response:
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    def filter_queryset_reporting_all_errors(self) -> QuerySet:
        """Filter, and check the pagination parameters too, so one 400 names every bad
        parameter rather than one per round trip."""
        errors = {}
        queryset = None
        try:
            queryset = self.filter_queryset(self.get_queryset())
        except exceptions.ValidationError as exc:
            errors.update(exc.detail)
        if self.request.accepted_renderer.format != CSVRenderer.format:
            try:
                self.paginator.check_parameters(self.request)
            except exceptions.ValidationError as exc:
                errors.update(exc.detail)
        if errors:
            raise exceptions.ValidationError(errors)
        return queryset

    @public_validators
    def retrieve(self, request, *args, **kwargs):
        return self.cached(request, lambda: Response(self.get_serializer(self.get_object()).data))

    def cached(self, request, build: Callable[[], Response]) -> Response:
        """The answer `build()` gives, from the shared cache when it holds this version's."""
        seconds = settings.API_CACHE_SECONDS
        if not seconds or request.method not in ("GET", "HEAD"):
            return build()
        address = request.build_absolute_uri()
        version = _public_state(request).version
        fmt = request.accepted_renderer.format
        digest = hashlib.sha256(f"{version}:{get_language()}:{fmt}:{address}".encode())
        key = "api:" + digest.hexdigest()
        hit = cache.get(key)
        if hit is not None:
            data, headers = hit
            return Response(data, headers=headers)
        response = build()
        if response.status_code == 200:
            # The headers the view set (pagination's Link); the renderer sets Content-Type.
            headers = {k: v for k, v in response.headers.items() if k.lower() != "content-type"}
            cache.set(key, (response.data, headers), seconds)
        return response

    # CSV

    def stream_csv(self, queryset: QuerySet) -> StreamingHttpResponse:
        response = StreamingHttpResponse(
            self.csv_lines(queryset), content_type="text/csv; charset=utf-8"
        )
        name = self.request.path.rstrip("/").rsplit("/", 1)[-1]  # "works"
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        self.patch_caching(self.request, response)
        return response

    def csv_lines(self, queryset: QuerySet) -> Iterator[str]:
        writer = csv.writer(Echo())
        # A byte-order mark so spreadsheet programs read the Chinese titles as UTF-8.
        yield "\ufeff" + writer.writerow(list(self.csv_columns))
        context = self.get_serializer_context()
        serializer_class = self.get_serializer_class()
        chunk = []
        for obj in queryset.iterator(chunk_size=CSV_CHUNK_SIZE):
            chunk.append(obj)
            if len(chunk) == CSV_CHUNK_SIZE:
                yield from self.csv_rows(writer, serializer_class, chunk, context)
                chunk = []
        yield from self.csv_rows(writer, serializer_class, chunk, context)

    def csv_rows(self, writer, serializer_class, objects, context) -> Iterator[str]:
        # many=True: one serializer builds its fields once for the chunk, where one
        # serializer per row rebuilt them every time (20 times slower).
        getters = [
            itemgetter(name) if get is COPY else get for name, get in self.csv_columns.items()
        ]
        for data in serializer_class(objects, many=True, context=context).data:
            yield writer.writerow([csv_cell(get(data)) for get in getters])

    # Caching

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        cacheable = request.method in ("GET", "HEAD") and response.status_code in (200, 304)
        self.patch_caching(request, response, cacheable=cacheable)
        return response

    @staticmethod
    def patch_caching(request, response, cacheable: bool = True):
        if cacheable and not is_partner(request):
            response["Cache-Control"] = f"public, max-age={ANONYMOUS_MAX_AGE}"
        else:
            response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ["Accept", "Authorization"])
