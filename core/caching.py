"""Anonymous public pages: validators from the public state, and whole pages from the cache.

What the public sees changes only when core.publication says so (core.models.PublicState).
So an anonymous page's ETag and Last-Modified are that state's, answered with a 304 before
any view runs, and a rendered page is kept in the shared cache under a key that carries the
state's version: publishing or withdrawing anything retires every cached page at once, with
nothing to delete. The version itself is read from the cache too, and forgotten whenever it
moves, so a cached page costs no database query at all.

Not cached: anything a signed-in user sees (a session cookie; editors preview drafts), the
admin, the API (its views throttle and authenticate each request and validate their own
way), and any answer that is not a plain 200 without cookies, or that says `private` or `no-store`
(an editor's preview).
"""

import hashlib
import logging
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from .models import PublicState

UNCACHED_PREFIXES = ("/admin/", "/api/", "/i18n/", "/static/", "/healthz", "/readyz")
# How long a value computed for one public-state version is kept (a new version makes it
# unreachable at once; this only bounds the memory it takes meanwhile).
PER_VERSION_SECONDS = 24 * 3600
# How long a request waits for another to finish computing such a value (4 s for the works
# page's at 1M works), and how often it looks.
COMPUTE_WAIT_SECONDS = 15
COMPUTE_POLL_SECONDS = 0.05
# The most values per_public_version(..., in_process=True) keeps in one process: a bound
# (the least recently read go first), not a size they are expected to reach (about 30 at
# 1M works, most of them a theme's or a place's few figures).
IN_PROCESS_ENTRIES = 1024


def per_public_version(name: str, compute, *, in_process: bool = False):
    """`compute()` once per public-state version, kept in the shared cache under the version
    and its time (a version number that a rolled-back publication used never comes back with
    the same time): for figures over the whole catalog that take seconds at 1M works and
    change only when something is published or withdrawn. Those computed again after every
    publication are registered with `warmed_after_publication`.

    `in_process=True` keeps the value in this process too (_InProcess), read before the
    shared cache: for the values named by the catalog's own records (the whole catalog's
    counts, a theme's or a place's figures), not for those a visitor's filters name, which
    are as many as the filters a visitor can combine."""
    state = PublicState.cached()
    key = public_state_key(name, state)
    if in_process:
        return _in_process.get(key, state, lambda: _shared(key, compute))
    return _shared(key, compute)


def public_state_key(name: str, state: tuple[int, int] | None = None) -> str:
    """`name` under the public state (`PublicState.cached()` unless given): its version and
    its time, so that a new state makes every key named so unreachable at once."""
    version, changed_at = state or PublicState.cached()
    return f"{name}:{version}:{changed_at}"


def _shared(key: str, compute):
    value = cache.get(key)
    if value is None:
        value = _computed_once(key, compute)
    return value


class _InProcess:
    """The current public state's values of per_public_version(..., in_process=True), kept
    in this process, pickled as the cache keeps them (each reader gets its own copy).

    Without it, a worker read them from Redis on every page (up to 164 KB each at 1M works)
    and computed them again whenever Redis could not answer: with Redis down, every works
    page took 5.1 s and the places page 2.2 s at 1M works, all of it counting the whole
    catalog, and a Redis restarted empty (it keeps nothing on disk) had the first page of
    every worker compute them. Here a process computes each once per public state whatever
    the shared cache does, one thread at a time (gthread workers run four), and holds one
    public state's values, the last it was asked for, each for PER_VERSION_SECONDS as Redis
    does."""

    def __init__(self, max_entries: int = IN_PROCESS_ENTRIES):
        self.max_entries = max_entries
        self.clock = time.monotonic
        self._lock = threading.Lock()
        self._state = None
        # key -> (the pickled value, when it expires: PER_VERSION_SECONDS, as in Redis)
        self._values: OrderedDict[str, tuple[bytes, float]] = OrderedDict()
        self._computing: dict[str, threading.Lock] = {}

    def get(self, key: str, state, compute):
        kept = self._kept(key, state)
        if kept is not None:
            return pickle.loads(kept)
        with self._lock:
            computing = self._computing.setdefault(key, threading.Lock())
        # Another thread of this process computing it: wait for it, as long as a request
        # waits for another worker's (_computed_once), then compute here all the same.
        locked = computing.acquire(timeout=COMPUTE_WAIT_SECONDS)
        try:
            kept = self._kept(key, state)
            if kept is not None:
                return pickle.loads(kept)
            value = compute()
            self._keep(key, state, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
            return value
        finally:
            if locked:
                computing.release()
            with self._lock:
                if self._computing.get(key) is computing:
                    del self._computing[key]

    def _kept(self, key: str, state) -> bytes | None:
        with self._lock:
            if state != self._state:
                return None
            kept = self._values.get(key)
            if kept is None:
                return None
            if kept[1] <= self.clock():
                del self._values[key]
                return None
            self._values.move_to_end(key)
            return kept[0]

    def _keep(self, key: str, state, pickled: bytes) -> None:
        with self._lock:
            if state != self._state:  # another public state: the one before's values go
                self._values.clear()
                self._state = state
            self._values[key] = (pickled, self.clock() + PER_VERSION_SECONDS)
            while len(self._values) > self.max_entries:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._state = None


_in_process = _InProcess()


def forget_in_process() -> None:
    """Drop the values this process keeps (tests, which reuse public-state versions)."""
    _in_process.clear()


def _computed_once(key: str, compute):
    """`compute()` and keep it, unless another thread or worker is computing the same key:
    then wait for theirs, up to COMPUTE_WAIT_SECONDS, rather than run the same seconds-long
    counts beside it (every worker did, on the first pages after a publication). Without a
    cache to hold the marker (Redis down), it computes at once."""
    computing = f"{key}:computing"
    marked = cache.add(computing, 1, COMPUTE_WAIT_SECONDS)
    if not marked:
        deadline = time.monotonic() + COMPUTE_WAIT_SECONDS
        while cache.get(computing) is not None and time.monotonic() < deadline:
            time.sleep(COMPUTE_POLL_SECONDS)
            value = cache.get(key)
            if value is not None:
                return value
        # Theirs may have finished as its marker went; if it failed, compute here.
        value = cache.get(key)
        if value is not None:
            return value
    try:
        value = compute()
        cache.set(key, value, PER_VERSION_SECONDS)
    finally:
        if marked:
            cache.delete(computing)
    return value


#
# Warming: the per-version figures computed as soon as a publication commits
#

logger = logging.getLogger(__name__)
_warmers: list[Callable[[], object]] = []
_warming = threading.Lock()
_again = threading.Event()


def warmed_after_publication(func: Callable[[], object]) -> Callable[[], object]:
    """Register `func` (it reads its value through per_public_version) to run in the
    background once a publication commits, so that the first visitor after it does not wait
    for it: the works page's figures over the whole catalog took 4 s at 1M works."""
    _warmers.append(func)
    return func


def warm_public_values() -> None:
    """Compute every registered value for the current public state (each one it holds
    already costs a cache read)."""
    for warm in _warmers:
        warm()


def publication_committed(**kwargs) -> None:
    """Once a change to the public state commits (the public_state_committed signal), warm
    its values in a thread of this process, unless WARM_AFTER_PUBLICATION is off. One thread
    at a time: publications committed while it runs make it run once more."""
    if not settings.WARM_AFTER_PUBLICATION or not _warmers:
        return
    _again.set()
    _start_unless_running()


def _start_unless_running() -> None:
    # Not a daemon: a process that exits (a management command that published) lets it
    # finish rather than cutting a query short.
    if _warming.acquire(blocking=False):
        try:
            threading.Thread(target=_warm_until_current, name="warm-public-values").start()
        except RuntimeError:  # no thread to be had: the first visitor computes, as before
            _warming.release()
            logger.exception("Could not start warming the public values")


def _warm_until_current() -> None:
    try:
        while _again.is_set():
            _again.clear()
            warm_public_values()
    except Exception:
        # The first visitor after the publication computes what is missing, as before.
        logger.exception("Warming the public values after a publication failed")
    finally:
        connections.close_all()  # this thread's own connection
        _warming.release()
    if _again.is_set():  # a publication committed as this thread was finishing
        _start_unless_running()


def without_language_prefix(path: str) -> str:
    """/zh-hans/admin/ -> /admin/: the admin is under each language's prefix too."""
    for code, _name in settings.LANGUAGES:
        if path.startswith(f"/{code}/"):
            return path[len(code) + 1 :]
    return path


def is_cacheable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not without_language_prefix(request.path_info).startswith(UNCACHED_PREFIXES)
    )


class PublicPageCacheMiddleware:
    """Answers anonymous page requests from the public state: 304 when the client's copy is
    current, the cached page when there is one, else the view's page, then cached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable(request) or not settings.PAGE_CACHE_SECONDS:
            return self.get_response(request)
        try:
            version, changed_at = PublicState.cached()
        except DatabaseError:
            return self.get_response(request)  # the view answers the outage (503)
        etag = f'"p{version}"'
        not_modified = get_conditional_response(request, etag=etag, last_modified=changed_at)
        if not_modified is not None:
            return self._with_validators(not_modified, etag, changed_at)
        key = (
            "page:"
            + hashlib.sha256(
                f"{version}:{request.method}:{request.get_full_path()}".encode()
            ).hexdigest()
        )
        response = cache.get(key)
        if response is None:
            response = self.get_response(request)
            if (
                response.status_code != 200
                or response.streaming
                or response.cookies
                or "no-store" in response.get("Cache-Control", "")
                or "private" in response.get("Cache-Control", "")
            ):
                return response
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return self._with_validators(response, etag, changed_at)

    @staticmethod
    def _with_validators(response, etag: str, changed_at: int):
        response["ETag"] = etag
        response["Last-Modified"] = http_date(changed_at)
        # A shared cache (CDN) may keep it a while; browsers revalidate with the ETag.
        response["Cache-Control"] = f"public, max-age={settings.PAGE_MAX_AGE}"
        return response
