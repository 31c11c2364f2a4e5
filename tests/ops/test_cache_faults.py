"""A cache outage degrades the site, never downs it: with Redis refusing connections or
hanging, pages and the API keep answering, within a bounded time, and the outage is logged.

The cache is configured as production configures it (config.settings.base.redis_cache),
pointed at a closed port or at a listener that never answers."""

import logging
import shutil
import subprocess
import time

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.settings.base import redis_cache
from core import caching
from core.models import PublicState
from tests.concurrency import asked_twice_at_once

PATHS = ["/", "/works/", "/zh-hans/works/", "/api/v1/works/", "/api/v1/themes/", "/api/schema/"]


@pytest.fixture(params=["refused", "hung"])
def redis_down(request, settings):
    port = request.getfixturevalue(f"{request.param}_port")
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{port}/0")}
    # Low limits: were the throttle counting in a cache that is not there, it would refuse.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "api_key": "3/min"},
    }
    yield request.param
    cache.reset_breaker()


@pytest.mark.django_db
def test_pages_and_api_keep_serving_while_redis_is_down(client, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        for path in PATHS:
            response = client.get(path)
            assert response.status_code == 200, (path, response.content[:300])
    warnings = [r for r in caplog.records if r.name == "core.cache"]
    assert len(warnings) == 1
    assert "Cache unavailable" in warnings[0].getMessage()


def test_a_dead_redis_costs_one_short_timeout_then_nothing(settings, redis_down):
    """The first call waits at most the socket timeout (0.25 s; about 5 s per call and a
    500 before); while the breaker is open, calls do not reach Redis at all."""
    start = time.monotonic()
    assert cache.get("throttle_anon_198.51.100.4", []) == []
    first = time.monotonic() - start
    assert first < settings.CACHE_SOCKET_TIMEOUT + 1, first
    start = time.monotonic()
    for n in range(50):
        cache.set(f"k{n}", n)
        assert cache.get(f"k{n}") is None
    assert time.monotonic() - start < 0.5


@pytest.mark.django_db
def test_rate_limits_fail_open_while_redis_is_down(client, redis_down):
    """Without its counters the throttle lets requests through rather than refusing them
    all: a cache outage must not become an API outage. Nor does it give figures it does
    not have: no RateLimit fields."""
    answers = [client.get("/api/v1/themes/") for _ in range(6)]
    assert [response.status_code for response in answers] == [200] * 6
    assert not any(response.has_header("RateLimit") for response in answers)


def test_the_breaker_tries_redis_again_after_the_retry_interval(settings, refused_port):
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{refused_port}/0")}
    settings.CACHES["default"]["OPTIONS"]["retry_interval"] = 0.2
    assert cache.get("k", "miss") == "miss"
    assert cache.is_bypassed()
    time.sleep(0.25)
    assert not cache.is_bypassed()
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # what did not stick
    assert cache.is_bypassed()
    cache.reset_breaker()


def test_incr_on_an_unreachable_cache_fails_like_a_missing_key(settings, refused_port):
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{refused_port}/0")}
    with pytest.raises(ValueError, match="not found"):
        cache.incr("counter")
    cache.reset_breaker()


def test_the_cache_keeps_one_redis_client_and_fails_open_through_it(settings, refused_port):
    """Django's backend made a redis-py client (and its table of response callbacks) for
    every operation; this one keeps one per connection pool, which still fails open."""
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{refused_port}/0")}
    try:
        client = cache._cache.get_client()
        assert cache._cache.get_client(write=True) is client
        assert cache.get("k", "default") == "default"  # refused: a miss, the breaker opens
        assert cache._cache.get_client() is client
    finally:
        cache.reset_breaker()


def test_a_value_kept_per_public_state_is_computed_at_once_while_redis_is_down(
    redis_down, monkeypatch
):
    """No other worker can be said to compute it (core.caching._computed_once): waiting for
    one would add a pause to every such value on every page."""
    monkeypatch.setattr(PublicState, "cached", classmethod(lambda cls: (7, 0)))
    cache.get("opens-the-breaker")  # the first call pays the socket timeout
    start = time.monotonic()
    for _ in range(10):
        assert caching.per_public_version("counts", lambda: {"fujian": 3}) == {"fujian": 3}
    assert time.monotonic() - start < caching.COMPUTE_POLL_SECONDS * 5


@pytest.mark.django_db
def test_the_whole_catalogs_figures_are_computed_once_per_process_while_redis_is_down(
    client, redis_down, catalog_data, django_assert_max_num_queries
):
    """Without Redis to keep them, the works per place were counted again on every page
    that shows them: the places page took 2.2 s and the works page 5.1 s on each request at
    1M works. The process keeps them for the public state (core.caching._InProcess)."""
    assert client.get("/places/").status_code == 200  # computes them
    # The public state, read from the database once (PublicState.cached).
    with django_assert_max_num_queries(1):
        response = client.get("/places/")
    assert response.status_code == 200
    assert b"Ningbo" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/works/", "/api/v1/works/?theme=intangible-cultural-heritage"])
def test_a_request_reads_the_public_state_once_while_redis_is_down(
    client, redis_down, catalog_data, path
):
    """Its validators and each value kept per public state asked for the state, and with
    Redis down each asking was a query: 10 of the works page's 12."""
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    reads = [q["sql"] for q in captured.captured_queries if "core_publicstate" in q["sql"]]
    assert len(reads) == 1, reads


def test_threads_of_one_process_compute_a_kept_value_once_while_redis_is_down(
    redis_down, monkeypatch
):
    """No Redis to say another worker is computing it: the threads of one process (gthread
    runs four) wait for one computation, as they would for another worker's with Redis."""
    monkeypatch.setattr(PublicState, "cached", classmethod(lambda cls: (7, 0)))
    cache.get("opens-the-breaker")
    answer, calls = asked_twice_at_once(
        lambda count: caching.per_public_version("counts", count, in_process=True)
    )
    assert answer == {"fujian": 3}
    assert calls == ["counted"]


@pytest.fixture
def full_redis(settings, refused_port):
    """A Redis of its own, 1 MB at most and evicting nothing (Redis's default policy): past
    that, it refuses every write that needs memory."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    limits = ["--maxmemory", "1mb", "--maxmemory-policy", "noeviction"]
    server = subprocess.Popen(
        ["redis-server", "--port", str(refused_port), *limits, "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=refused_port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.05)
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{refused_port}/0")}
    yield
    cache.reset_breaker()
    server.terminate()
    server.wait(10)


def test_a_full_redis_drops_writes_and_keeps_answering_reads(full_redis, caplog):
    """Redis at its maxmemory under noeviction refuses writes (OutOfMemoryError). It is up
    and answering: the refused writes are dropped and logged once, and the breaker stays
    shut. It opened on each refusal, and every read then missed too (rate limits off) for
    5 s at a time, for as long as Redis was full."""
    cache.set("public-state", "kept")
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        for n in range(40):  # 2.8 MB of pages
            cache.set(f"page-{n}", b"x" * 70_000)
    assert not cache.is_bypassed()
    assert cache.get("public-state") == "kept"
    warnings = [r.getMessage() for r in caplog.records if r.name == "core.cache"]
    assert len(warnings) == 1
    assert "Cache full" in warnings[0]
    assert "allkeys-lru" in warnings[0]
