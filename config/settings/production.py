"""Production: PostgreSQL (DATABASE_URL), Redis (REDIS_URL), gunicorn (gunicorn.conf.py),
WhiteNoise, HTTPS behind a TLS-terminating proxy. `make serve` runs it locally;
docs/operations.md is the operator's guide. `manage.py check --deploy` is clean with the
defaults below (tests/ops/test_deploy_check.py runs it)."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import REDIS_URL, SECRET_KEY, env

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
DEBUG = False

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# ------------------------------------------------------------------------------
# Cache: shared by every worker, so rate limits count across them
# ------------------------------------------------------------------------------
# Without REDIS_URL the cache lives in PostgreSQL (`manage.py createcachetable`, which
# `make serve` and the deploy steps run): slower than Redis, but one count for every worker
# and machine, where per-process memory let a limit of 60 admit 92 requests. Its `incr`
# counts requests that arrive together each (core.cache.CountingDatabaseCache).
if not REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.CountingDatabaseCache",
            "LOCATION": "django_cache",
            # One row per client address and key being counted: keep room for many.
            "OPTIONS": {"MAX_ENTRIES": env.int("CACHE_MAX_ENTRIES", default=100_000)},
        }
    }

# ------------------------------------------------------------------------------
# Proxies and HTTPS
# ------------------------------------------------------------------------------
# Production runs behind one TLS-terminating proxy unless told otherwise: it sets
# X-Forwarded-Proto and appends the client's address to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# A year, with subdomains and the preload flag, as cookiecutter-django does: an operator
# whose domain has plain-HTTP subdomains turns those two off (and check --deploy says so).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
