"""Rate limits count across workers: each gunicorn worker is a process with a cache
connection of its own, so the counters must live in a cache they share. Two backend
instances stand for two workers here; production uses Redis, or the database without it."""

import os

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.test import RequestFactory

from config.settings.base import redis_cache
from core.api.throttling import AnonymousRateThrottle
from core.cache import FailOpenRedisCache


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
        DatabaseCache("django_cache", params), DatabaseCache("django_cache", params)
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
