"""The "bare view" ceiling of bench/run: the production settings with no middleware and
three views (bench/views.py) that return the same rows as the project's pages through
`.values()` + orjson. What the framework and the database can do at best on this machine."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = []
