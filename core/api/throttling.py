"""Rate limits: per client address without a key, per key with one.

The address is core.net's: X-Forwarded-For counts only as far as TRUSTED_PROXY_COUNT says,
the same rule django-axes follows. The counters live in the default cache (Redis, or the
database in production without it), so every worker and machine shares them; when Redis is
unreachable the cache fails open and so do the limits (core.cache logs it).

Each client has one counter per window of the rate's duration (a minute), raised by the
cache's own `incr` and `add`. DRF's SimpleRateThrottle keeps a list of the client's request
times instead, read and written back whole on every request: two requests at once both read
the same list and each wrote back its own, so one was never counted. A client limited to 300
a minute, on 16 connections at once, was answered 715 times in five seconds (gunicorn with 2
workers of 4 threads, `wrk -c16`). Redis's INCR counts every request, whatever arrives
together, and costs the same two round trips without the list (up to the whole rate's
timestamps, pickled, both ways).

A window is fixed, as GitHub's API counts: a client may spend its budget at the end of one
window and again at the start of the next. Each client's windows start at an offset of their
own (a hash of the key, as django-ratelimit does), so budgets do not all come back in the same
second.

Each answer counted says where its client stands, in the IETF's RateLimit fields
(draft-ietf-httpapi-ratelimit-headers): `RateLimit-Policy: "anonymous";q=60;w=60`, the
budget and its window in seconds, and `RateLimit: "anonymous";r=42;t=17`, the requests left
in this window and the seconds until it ends (on a 429, the moment Retry-After names). A
partner can pace a sync by them instead of running into 429s. RateLimitHeadersMiddleware
writes them on the way out, so no cached answer (core.api.viewsets, a page cache) keeps one
client's figures for another; there are none when the cache cannot count.
"""

import math
import zlib
from typing import NamedTuple

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework_api_key.models import APIKey

from core.net import rate_limit_ident

# The policies' names in the RateLimit fields, by throttle scope.
POLICIES = {"anon": "anonymous", "api_key": "partner"}


class Budget(NamedTuple):
    """Where a client stands in its window when its request was counted."""

    policy: str
    quota: int
    window: int  # seconds
    remaining: int
    reset: int  # seconds until the window ends

    def headers(self) -> dict[str, str]:
        name = f'"{self.policy}"'  # a Structured Fields string
        return {
            "RateLimit-Policy": f"{name};q={self.quota};w={self.window}",
            "RateLimit": f"{name};r={self.remaining};t={self.reset}",
        }


# The attribute of the Django request that holds its client's Budget.
BUDGET = "rate_limit_budget"


class RateLimitHeadersMiddleware:
    """Writes the RateLimit fields of the request's Budget, if a throttle counted it, on
    its answer, whatever the status (a 429 and a refused key's 401 too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        budget = getattr(request, BUDGET, None)
        if budget is not None:
            for name, value in budget.headers().items():
                response[name] = value
        return response


def is_partner(request) -> bool:
    """Whether the request carries an accepted partner key."""
    return isinstance(getattr(request, "auth", None), APIKey)


class SettingsRateThrottle(SimpleRateThrottle):
    """Counts each request in the client's window (see above). Reads its rate on every
    request rather than at import, so the rates follow the settings (and tests can lower
    them with the `settings` fixture)."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        # Not DRF's: with NUM_PROXIES unset it keys on the whole X-Forwarded-For string,
        # so rotating that header gave a fresh budget every time.
        return rate_limit_ident(request)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        offset = zlib.crc32(self.key.encode()) % self.duration
        window, into = divmod(self.now + offset, self.duration)
        self.seconds_left = self.duration - into
        count = self.count(f"{self.key}:{int(window)}")
        # No count: the cache is down, and the limits fail open with it.
        if count is None:
            return True
        budget = Budget(
            POLICIES.get(self.scope, self.scope),
            self.num_requests,
            self.duration,
            max(0, self.num_requests - count),
            math.ceil(self.seconds_left),
        )
        # On the Django request under DRF's, which the middleware sees.
        setattr(getattr(request, "_request", request), BUDGET, budget)
        return count <= self.num_requests

    def count(self, key: str) -> int | None:
        """This request's number in the window: the cache's `incr` counts it, or its `add`
        opens the window, each atomic in Redis. None when the cache cannot count."""
        for _ in range(2):
            try:
                return self.cache.incr(key)
            except ValueError:
                pass  # no window yet (or no cache to ask)
            # Kept a little past the window's end, for a clock a little off between workers.
            if self.cache.add(key, 1, self.duration + 5):
                return 1
            # Another request opened it meanwhile: count in it.
        return None

    def wait(self):
        """Seconds until the window ends and the budget comes back."""
        return self.seconds_left


class AnonymousRateThrottle(SettingsRateThrottle):
    """Requests without a key, counted per client address."""

    scope = "anon"

    def get_cache_key(self, request, view):
        if is_partner(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class RefusedKeyThrottle(SettingsRateThrottle):
    """Counts refused keys against the anonymous budget of their address (same cache key as
    AnonymousRateThrottle). Used during authentication, before `request.auth` exists."""

    scope = "anon"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ApiKeyRateThrottle(SettingsRateThrottle):
    """Requests with a key, counted per key wherever they come from."""

    scope = "api_key"

    def get_cache_key(self, request, view):
        if not is_partner(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}
