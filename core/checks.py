"""Deployment checks (`manage.py check --deploy`) for what Django's own do not cover."""

from django.conf import settings
from django.core.checks import Error, Tags, register

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
