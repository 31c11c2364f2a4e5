"""Deployment checks (`manage.py check --deploy`) for what Django's own do not cover."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

# Backends that keep their data in one process: each gunicorn worker would count its own
# rate limits (a limit of 60 admitted 92 requests across workers).
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Error(
            f"The default cache ({backend}) lives in one process, so the API's rate limits "
            "would count per worker.",
            hint="Set REDIS_URL, or use the database cache (config.settings.production does "
            "without REDIS_URL; run `manage.py createcachetable`).",
            id="core.E001",
        )
    ]


@register(Tags.caches, deploy=True)
def check_counting_cache(app_configs, **kwargs):
    """Django's own database cache counts requests that arrive together as one (its `incr`
    is a read, then a write): the rate limits would let bursts through."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend != "django.core.cache.backends.db.DatabaseCache":
        return []
    return [
        Warning(
            "Django's DatabaseCache counts requests that arrive together as one, so the API's "
            "rate limits let bursts through.",
            hint="Use core.cache.CountingDatabaseCache (config.settings.production does "
            "without REDIS_URL), or Redis.",
            id="core.W001",
        )
    ]
