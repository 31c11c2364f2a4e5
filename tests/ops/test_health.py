"""/healthz and /readyz: what a load balancer asks before sending traffic."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from config.settings.base import redis_cache


def body(response):
    return json.loads(response.content)


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: a query here would raise, and the probe would answer 500.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert body(response) == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_database_and_cache_with_their_latency(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    data = body(response)
    assert data["status"] == "ok"
    assert set(data["checks"]) == {"database", "cache"}
    for check in data["checks"].values():
        assert check["status"] == "ok"
        assert check["latency_ms"] >= 0


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_answers_are_never_cached(client, path):
    response = client.get(path)
    assert response["Cache-Control"] == "no-store"
    assert "ETag" not in response
    assert "Set-Cookie" not in response
    assert not response.cookies


@pytest.mark.django_db
def test_health_endpoints_are_never_throttled(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "api_key": "2/min"},
    }
    cache.clear()
    # The API's budget is spent...
    statuses = [client.get("/api/v1/themes/").status_code for _ in range(3)]
    assert statuses[-1] == 429
    # ...and the probes from the same address still answer.
    assert {client.get(path).status_code for path in ["/healthz", "/readyz"] * 10} == {200}
    cache.clear()


@pytest.mark.django_db
def test_health_is_answered_for_any_host_and_over_plain_http(settings):
    """A balancer probes by the instance's own address over HTTP: neither ALLOWED_HOSTS
    nor the HTTPS redirect may turn its probe into a 400 or a 301."""
    settings.ALLOWED_HOSTS = ["catalog.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    probe = Client(HTTP_HOST="10.0.0.12:8000")
    assert probe.get("/healthz").status_code == 200
    assert probe.get("/readyz").status_code == 200
    # Everything else still gets both checks.
    assert probe.get("/works/").status_code == 400


def test_health_refuses_writes(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_readyz_is_degraded_not_down_when_the_cache_is_unreachable(client, settings, refused_port):
    """The site serves without its cache, so a cache outage must not take every instance
    out of the balancer: 200, with the cache marked unavailable."""
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{refused_port}/0")}
    response = client.get("/readyz")
    assert response.status_code == 200
    data = body(response)
    assert data["status"] == "degraded"
    assert data["checks"]["database"]["status"] == "ok"
    assert data["checks"]["cache"] == {"status": "unavailable"}
