"""The base of every API viewset: list and detail by slug, CSV streamed on lists, and
conditional GET (ETag, Last-Modified, 304) with Cache-Control.

The validators come from the public-state stamp (core.models.PublicState), which moves
whenever anything public changes and only then: a 304 costs one query at most
(none when the shared cache holds the state) and no rendering, an editor's work on drafts
changes no validator, and a withdrawal changes both.

With a shared cache configured (API_CACHE_SECONDS, on by default when REDIS_URL is set), a
list page or a record is built once per public-state version: its rendered bytes and headers
are kept under a key carrying the version (publishing retires every entry at once, nothing
to delete), the address (host, path, query), the media type and the language. A hit sends
those bytes: it neither checks the parameters again (the entry was a 200 for the same address
and state) nor runs a query beyond the state's. Authentication and throttling run before
(DRF's `initial()`), so a cached answer still counts against the caller's rate; no answer
depends on which key asked, so anonymous callers and partners share entries. A cache that is
down answers as an empty one (core.cache): the view builds the page as before."""

import datetime
import hashlib
from collections.abc import Callable, Iterator
from itertools import chain, islice

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.decorators.http import condition
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response

from core.models import PublicState

from .renderers import CSVRenderer
from .throttling import is_partner

# Seconds a shared cache (CDN, proxy) may serve an anonymous read without asking again.
ANONYMOUS_MAX_AGE = 60
# Records read, prefetched and serialized at a time in a CSV export.
CSV_CHUNK_SIZE = 500


def public_etag(request, *args, **kwargs) -> str:
    """The public state's version, and the format: the same address answers the same bytes
    until something public changes."""
    return f'"{PublicState.cached()[0]}-{request.accepted_renderer.format}"'


def public_last_modified(request, *args, **kwargs):
    return datetime.datetime.fromtimestamp(PublicState.cached()[1], tz=datetime.UTC)


public_validators = method_decorator(
    condition(etag_func=public_etag, last_modified_func=public_last_modified)
)


class CatalogReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """List and detail by slug, JSON or (lists) CSV, with ETag/Last-Modified validators.

    Subclasses give `build_queryset()` (ordered, its related records annotated or
    prefetched; the same for every request), `serializer_class`, `filterset_class` (the
    FilterSet the HTML list uses too) and `csv_serializer_class` (flat: one column per
    field, lists of slugs at most)."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    csv_serializer_class: type[serializers.Serializer]

    @classmethod
    def build_queryset(cls) -> QuerySet:
        raise NotImplementedError

    @classmethod
    def base_queryset(cls) -> QuerySet:
        """`build_queryset()`, built once per viewset class and process: the works' (their
        JSON columns and order) took about 3 ms to build on every request, when a work's
        detail took 25. Each request reads a copy, as DRF's class-level `queryset` is read
        (`.all()`, in `get_queryset`)."""
        return cls.built_once("_base_queryset", cls.build_queryset)

    @classmethod
    def built_once(cls, name: str, build: Callable[[], QuerySet]) -> QuerySet:
        """`build()`, kept on this class (not a subclass's) under `name` for the process."""
        built = cls.__dict__.get(name)
        if built is None:
            built = build()
            setattr(cls, name, built)
        return built

    def get_queryset(self):
        return self.base_queryset().all()

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action != "list":
            renderers = [r for r in renderers if not isinstance(r, CSVRenderer)]
        return renderers

    @public_validators
    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == CSVRenderer.format:
            return self.stream_csv(self.filter_queryset_reporting_all_errors(csv=True))
        return self.cached(request, self.build_list)

    def get_csv_queryset(self) -> QuerySet:
        """What a CSV export reads before the filters: `get_queryset()` unless a viewset
        gives a leaner one for its flat columns."""
        return self.get_queryset()

    def build_list(self) -> Response:
        """A list's answer: its parameters checked (a 400 names each bad one), then its page.
        Only on a cache miss: a cached answer was a 200 for the same address and public
        state, so its parameters were good, and checking them again cost a query per filter
        value looked up (a theme's slug) on every hit."""
        return self.build_page(self.filter_queryset_reporting_all_errors())

    def build_page(self, queryset) -> Response:
        page = self.paginate_queryset(queryset)
        self.complete(page)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    def filter_queryset_reporting_all_errors(self, *, csv: bool = False) -> QuerySet:
        """Filter, and check the pagination parameters too (a CSV has none), so one 400
        names every bad parameter rather than one per round trip."""
        errors = {}
        queryset = None
        try:
            base = self.get_csv_queryset() if csv else self.get_queryset()
            queryset = self.filter_queryset(base)
        except exceptions.ValidationError as exc:
            errors.update(exc.detail)
        if not csv:
            try:
                self.paginator.check_parameters(self.request)
            except exceptions.ValidationError as exc:
                errors.update(exc.detail)
        if errors:
            raise exceptions.ValidationError(errors)
        return queryset

    def complete(self, records: list) -> None:
        """Give the records of a page or a detail what the queryset left for later (the
        works' related rows: public.api.kept_rows); nothing by default."""

    @public_validators
    def retrieve(self, request, *args, **kwargs):
        return self.cached(request, self.build_record)

    def build_record(self) -> Response:
        record = self.get_object()
        self.complete([record])
        return Response(self.get_serializer(record).data)

    def cached(self, request, build: Callable[[], Response]) -> HttpResponse:
        """The answer `build()` gives, from the shared cache when it holds this version's."""
        seconds = settings.API_CACHE_SECONDS
        if not seconds or request.method not in ("GET", "HEAD"):
            return build()
        address = request.build_absolute_uri()
        version = PublicState.cached()[0]
        # The media type with its parameters: `application/json; indent=2` is other bytes.
        media_type = request.accepted_media_type
        digest = hashlib.sha256(f"{version}:{get_language()}:{media_type}:{address}".encode())
        key = "api:" + digest.hexdigest()
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            return HttpResponse(content, headers=headers)
        response = build()
        if response.status_code != 200:
            return response
        # Rendered here as DRF renders after the view (`finalize_response`), and kept so: a
        # hit sends the bytes. Kept as data, every hit unpickled the page's nested dicts and
        # encoded them again (1.6 of a hit's 3.3 ms for 50 works).
        response.accepted_renderer = request.accepted_renderer
        response.accepted_media_type = media_type
        response.renderer_context = self.get_renderer_context()
        response.render()
        # With the headers the view set (pagination's Link) and the renderer's Content-Type.
        cache.set(key, (response.content, dict(response.headers)), seconds)
        return response

    # CSV

    def stream_csv(self, queryset: QuerySet) -> StreamingHttpResponse:
        """Every matching record, serialized a chunk at a time by `csv_serializer_class`.

        The first chunk is read and serialized before the response exists, so a fault in
        the query or the serializer is an ordinary error answer (JSON, 4xx/5xx), never a
        200 that breaks off; a fault after that ends the file with the renderer's mark."""
        serializer_class = self.csv_serializer_class
        header = list(serializer_class().fields)
        chunks = self.csv_chunks(queryset, serializer_class)
        first = next(chunks, [])
        rows = chain.from_iterable(chain([first], chunks))
        renderer = self.request.accepted_renderer
        response = StreamingHttpResponse(
            renderer.render(rows, renderer_context={"header": header}),
            content_type=f"{renderer.media_type}; charset={renderer.charset}",
        )
        name = self.request.path.rstrip("/").rsplit("/", 1)[-1]  # "works"
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response

    def csv_chunks(self, queryset: QuerySet, serializer_class) -> Iterator[list]:
        """Serialized rows, CSV_CHUNK_SIZE records at a time: the iterator reads them in
        chunks and runs the prefetches per chunk, so memory stays flat whatever the count.
        many=True: one serializer builds its fields once per chunk."""
        context = self.get_serializer_context()
        # In a transaction, PostgreSQL's server-side cursor streams: outside one (autocommit)
        # Django declares it WITH HOLD, which makes PostgreSQL compute every row before the
        # first (90 s at 1M works before a byte left). One snapshot also makes the file
        # consistent however long the download takes. (Inside a transaction already, it
        # reads in that one: no savepoint needed for a read.)
        with transaction.atomic(using=queryset.db, savepoint=False):
            records = queryset.iterator(chunk_size=CSV_CHUNK_SIZE)
            while chunk := list(islice(records, CSV_CHUNK_SIZE)):
                yield serializer_class(chunk, many=True, context=context).data

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
