"""Test settings: fast hashing, no throttling surprises from a shared cache.

With REDIS_URL set, the suite runs against Redis through the production cache backend
(.ci/run does so), under a key prefix of its own so it neither sees nor clears another
run's keys: one per process, so each pytest-xdist worker has its own too (core.cache's
clear() deletes its prefix's keys only, never the whole Redis database)."""

import os

from .base import *  # noqa: F403
from .base import REDIS_URL, REST_FRAMEWORK, redis_cache

SECRET_KEY = "test-key-not-for-production"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if REDIS_URL:
    CACHES = {"default": {**redis_cache(REDIS_URL), "KEY_PREFIX": f"test-{os.getpid()}"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# No thread computing after each publication while a test changes and empties its tables
# (tests/test_warming.py turns it on).
WARM_AFTER_PUBLICATION = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files come straight from static/ and the apps (WhiteNoise's finders mode), so no
# collectstatic run is needed; production collects them into STATIC_ROOT.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Generous rates so no test is throttled by accident; the throttling tests lower them with
# the `settings` fixture, and tests/conftest.py clears the cache between tests.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "api_key": "100000/min"},
}
