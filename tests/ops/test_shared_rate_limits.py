"""Rate limits count across workers: each gunicorn worker is a process with a cache
connection of its own, so the counters must live in a cache they share. Two backend
instances stand for two workers here; production uses Redis, or the database without it."""

import os
import threading

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.db import connection, connections
from django.test import RequestFactory

from config.settings.base import redis_cache
from core.api.throttling import AnonymousRateThrottle
from core.cache import CountingDatabaseCache, FailOpenRedisCache


def allowed(worker_cache, address: str) -> bool:
    throttle = AnonymousRateThrottle()  # DRF makes one per request
    throttle.cache = worker_cache
    request = RequestFactory().get("/api/v1/works/", REMOTE_ADDR=address)
    request.auth = None
    return throttle.allow_request(request, view=None)


@pytest.fixture
def three_a_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "api_key": "3/min"},
    }


def two_workers_share_one_budget(first, second):
    address = "198.51.100.23"
    answers = [allowed(first, address), allowed(second, address), allowed(first, address)]
    assert answers == [True, True, True]
    # The fourth request reaches the other worker: it must know about the first three.
    assert allowed(second, address) is False
    assert allowed(first, address) is False
    # Another client is counted apart.
    assert allowed(second, "198.51.100.24") is True


@pytest.mark.django_db
def test_the_database_cache_shares_one_budget_between_workers(three_a_minute):
    call_command("createcachetable", "django_cache", verbosity=0)
    params = {"OPTIONS": {"MAX_ENTRIES": 100_000}}
    two_workers_share_one_budget(
        CountingDatabaseCache("django_cache", params), CountingDatabaseCache("django_cache", params)
    )


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set (.ci/run sets it)")
def test_redis_shares_one_budget_between_workers(three_a_minute):
    config = redis_cache(os.environ["REDIS_URL"])
    params = {**config, "KEY_PREFIX": f"test-shared-{os.getpid()}"}
    first = FailOpenRedisCache(config["LOCATION"], params)
    second = FailOpenRedisCache(config["LOCATION"], params)
    try:
        two_workers_share_one_budget(first, second)
        assert not first.is_bypassed()  # Redis answered every time: nothing failed open
    finally:
        first.clear()


class TogetherCache(LocMemCache):
    """A worker's cache, where each thread's first write waits at `arrived` until every
    thread of the test has come that far: the requests arrive at once, and each has read
    what it reads before any writes, as 16 connections' requests do when each read is a
    round trip to Redis."""

    arrived: threading.Barrier
    waited = threading.local()

    def _together(self):
        if not getattr(self.waited, "done", False):
            self.waited.done = True
            self.arrived.wait(5)

    def set(self, *args, **kwargs):
        self._together()
        return super().set(*args, **kwargs)

    def add(self, *args, **kwargs):
        self._together()
        return super().add(*args, **kwargs)


def eight_at_once(worker_cache, address: str) -> list[bool]:
    """Whether each of eight requests from `address`, arriving at once in threads of one
    worker, is allowed; `worker_cache` is a TogetherCache or a TogetherDatabaseCache, whose
    first write in each thread waits for the eight."""
    type(worker_cache).arrived = threading.Barrier(8)
    answers = []

    def request():
        worker_cache.waited.done = False
        try:
            answers.append(allowed(worker_cache, address))
        finally:
            connections.close_all()  # each thread's own database connection

    threads = [threading.Thread(target=request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    return answers


def test_requests_that_arrive_together_are_each_counted(settings):
    """DRF's throttle read the client's list of request times, added this one and wrote the
    list back: eight requests at once all read an empty list, and all eight were answered
    past a limit of 3. Through gunicorn, 715 in five seconds for a limit of 300 a minute."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "api_key": "3/min"},
    }
    worker_cache = TogetherCache("together", {})
    worker_cache.clear()
    answers = eight_at_once(worker_cache, "198.51.100.31")

    assert sorted(answers) == [False] * 5 + [True] * 3


class TogetherDatabaseCache(CountingDatabaseCache):
    """The production cache without Redis, where each thread's first write waits until
    every thread has come that far (TogetherCache's rule): Django's own `incr`, a `get` then
    a `set`, then has every thread write back the count it read."""

    arrived: threading.Barrier
    waited = threading.local()

    def _base_set(self, *args, **kwargs):
        if not getattr(self.waited, "done", False):
            self.waited.done = True
            self.arrived.wait(5)
        return super()._base_set(*args, **kwargs)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads need a database server to share"
)
@pytest.mark.django_db(transaction=True)
def test_the_database_cache_counts_requests_that_arrive_together(three_a_minute):
    """Production without Redis: Django's DatabaseCache.incr read the count and wrote it back
    plus one, so eight requests arriving at once in an open window were counted as one and
    all answered past the limit. Each is counted now, each waiting for the one before."""
    call_command("createcachetable", "django_cache", verbosity=0)
    worker_cache = TogetherDatabaseCache("django_cache", {})
    worker_cache.clear()
    address = "198.51.100.34"
    TogetherDatabaseCache.waited.done = True  # the first request opens the window alone
    assert allowed(worker_cache, address) is True
    answers = eight_at_once(worker_cache, address)

    assert sorted(answers) == [False] * 6 + [True] * 2


def test_a_budget_comes_back_when_its_window_ends(three_a_minute, throttle_clock):
    """A window of a minute, starting at an offset of the client's own: Retry-After says
    when it ends, and then the client has its whole budget again."""
    worker_cache = LocMemCache("windows", {})
    worker_cache.clear()  # one store per name in the process
    address = "198.51.100.32"
    throttle = AnonymousRateThrottle()
    throttle.cache = worker_cache
    request = RequestFactory().get("/api/v1/works/", REMOTE_ADDR=address)
    request.auth = None

    assert [throttle.allow_request(request, None) for _ in range(4)] == [True] * 3 + [False]
    left = throttle.wait()
    assert 0 < left <= 60

    throttle_clock[0] += left - 0.5  # half a second before the window ends: still refused
    assert throttle.allow_request(request, None) is False
    assert throttle.wait() == pytest.approx(0.5)

    throttle_clock[0] += 0.5  # the next window
    assert [throttle.allow_request(request, None) for _ in range(4)] == [True] * 3 + [False]
    assert throttle.wait() == 60


@pytest.mark.django_db
def test_retry_after_is_rounded_up_to_when_the_budget_comes_back(
    client, three_a_minute, throttle_clock
):
    """Retry-After names the window's end rounded up: a client that waits those seconds
    and asks again is answered. (DRF rounds the throttle's wait up.)"""
    throttle_clock[0] += 0.25  # a quarter of a second into one of the clock's seconds
    responses = [client.get("/api/v1/themes/", REMOTE_ADDR="198.51.100.33") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    wait = int(responses[-1]["Retry-After"])

    throttle_clock[0] += wait - 1
    assert client.get("/api/v1/themes/", REMOTE_ADDR="198.51.100.33").status_code == 429
    throttle_clock[0] += 1
    assert client.get("/api/v1/themes/", REMOTE_ADDR="198.51.100.33").status_code == 200
