"""Health endpoints for load balancers and orchestrators (docs/operations.md):

- `/healthz`: the process is alive and answering. No I/O, so a database or cache outage
  never makes a balancer restart healthy workers.
- `/readyz`: the process can serve: the database answers (503 when it does not) and the
  cache, each with its latency. A cache outage leaves it at 200 with `"status": "degraded"`,
  because the site serves without its cache (core.cache): taking every worker out of the
  balancer for it would turn a slower site into no site.

Both are JSON, never cached (`Cache-Control: no-store`) and never throttled. A middleware
first in MIDDLEWARE answers them, before host validation (a balancer probes by the
instance's own address, which ALLOWED_HOSTS need not list), the HTTPS redirect (it probes
over plain HTTP), sessions, locale and the API's rate limits. Hand-written: django-health-
check answers through a URL route (after all of those) and in its own report format.
"""

import json
import logging
import time
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connections
from django.http import HttpResponse

logger = logging.getLogger(__name__)

HEALTH_PATHS = ("/healthz", "/readyz")


def json_response(payload: dict, status: int = 200) -> HttpResponse:
    response = HttpResponse(json.dumps(payload), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


def milliseconds_since(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


def check_database() -> dict:
    start = time.perf_counter()
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("Readiness: database unavailable: %s", exc)
        return {"status": "unavailable", "error": type(exc).__name__}
    return {"status": "ok", "latency_ms": milliseconds_since(start)}


def check_cache() -> dict:
    """A write and a read of a key of its own. The Redis backend fails open, so an outage
    shows as a value that did not come back, not as an exception."""
    key = f"readyz:{uuid.uuid4().hex}"
    start = time.perf_counter()
    try:
        cache.set(key, key, timeout=10)
        answered = cache.get(key) == key
        cache.delete(key)
    except Exception as exc:  # any backend, any failure: the cache is not serving
        logger.warning("Readiness: cache unavailable: %s", exc)
        answered = False
    if not answered:
        return {"status": "unavailable"}
    return {"status": "ok", "latency_ms": milliseconds_since(start)}


def healthz() -> HttpResponse:
    return json_response({"status": "ok"})


def readyz() -> HttpResponse:
    checks = {"database": check_database(), "cache": check_cache()}
    if checks["database"]["status"] != "ok":
        status, code = "unavailable", 503
    elif checks["cache"]["status"] != "ok":
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return json_response({"status": status, "checks": checks}, status=code)


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info.rstrip("/")
        if path not in HEALTH_PATHS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = json_response({"detail": "Method not allowed: use GET."}, status=405)
            response["Allow"] = "GET, HEAD"
            return response
        response = healthz() if path == "/healthz" else readyz()
        if request.method == "HEAD":
            response.content = b""
        return response
