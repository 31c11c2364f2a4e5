"""Rate limits: per client address without a key, per key with one.

The address is core.net's: X-Forwarded-For counts only as far as TRUSTED_PROXY_COUNT says,
the same rule django-axes follows. The counters live in the default cache (Redis, or the
database in production without it), so every worker and machine shares them; when Redis is
unreachable the cache fails open and so do the limits (core.cache logs it).
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework_api_key.models import APIKey

from core.net import rate_limit_ident


def is_partner(request) -> bool:
    """Whether the request carries an accepted partner key."""
    return isinstance(getattr(request, "auth", None), APIKey)


class SettingsRateThrottle(SimpleRateThrottle):
    """Reads its rate on every request rather than at import, so the rates follow the
    settings (and tests can lower them with the `settings` fixture)."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        # Not DRF's: with NUM_PROXIES unset it keys on the whole X-Forwarded-For string,
        # so rotating that header gave a fresh budget every time.
        return rate_limit_ident(request)


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
