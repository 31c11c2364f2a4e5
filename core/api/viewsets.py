"""The base of every API viewset: list and detail by slug, CSV streamed on lists, and
conditional GET (ETag, Last-Modified, 304) with Cache-Control."""

import csv
import datetime
import hashlib
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import Any

from django.db.models import Max, QuerySet
from django.http import StreamingHttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from rest_framework import exceptions, viewsets
from rest_framework.response import Response

from .renderers import CSVRenderer, Echo, csv_cell
from .throttling import is_partner

# Seconds a shared cache (CDN, proxy) may serve an anonymous read without asking again.
ANONYMOUS_MAX_AGE = 60
CSV_CHUNK_SIZE = 500

# A CSV column that copies the serialized field of its own name.
COPY = None


class CatalogReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """List and detail by slug, JSON or (lists) CSV, with ETag/Last-Modified validators.

    Subclasses give `get_queryset()` (ordered, with its relations prefetched),
    `serializer_class`, `filterset_class` (the FilterSet the HTML list uses too) and
    `csv_columns` (CSV header → function of one serialized record, or COPY for the
    serialized field of the same name)."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    csv_columns: dict[str, Callable[[dict], Any] | None] = {}
    last_modified: datetime.datetime | None = None

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action != "list":
            renderers = [r for r in renderers if not isinstance(r, CSVRenderer)]
        return renderers

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset_reporting_all_errors()
        if request.accepted_renderer.format == CSVRenderer.format:
            return self.stream_csv(queryset)
        page = self.paginate_queryset(queryset)
        changed_elsewhere = [
            related.aggregate(newest=Max("updated_at"))["newest"]
            for related in self.list_depends_on()
        ]
        self.last_modified = newest([*(obj.updated_at for obj in page), *changed_elsewhere])
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    def list_depends_on(self) -> tuple[QuerySet, ...]:
        """Records outside the page whose changes can change the list (their newest
        `updated_at` counts towards Last-Modified)."""
        return ()

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

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        self.last_modified = instance.updated_at
        return Response(self.get_serializer(instance).data)

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

    # Conditional GET and caching

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if not (
            request.method in ("GET", "HEAD")
            and isinstance(response, Response)
            and response.status_code == 200
        ):
            if isinstance(response, Response):
                self.patch_caching(request, response, cacheable=False)
            return response
        response.render()
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
        response["ETag"] = etag
        timestamp = None
        if self.last_modified is not None:
            timestamp = int(self.last_modified.timestamp())
            response["Last-Modified"] = http_date(timestamp)
        self.patch_caching(request, response)
        return get_conditional_response(
            request, etag=etag, last_modified=timestamp, response=response
        )

    @staticmethod
    def patch_caching(request, response, cacheable: bool = True):
        if cacheable and not is_partner(request):
            response["Cache-Control"] = f"public, max-age={ANONYMOUS_MAX_AGE}"
        else:
            response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ["Accept", "Authorization"])


def newest(stamps: Iterable[datetime.datetime | None]) -> datetime.datetime | None:
    stamps = [stamp for stamp in stamps if stamp is not None]
    return max(stamps) if stamps else None
