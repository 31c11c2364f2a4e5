"""Local development: `make run`. SQLite unless DATABASE_URL says otherwise."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", default=True)
# A fixed key is fine for a developer's machine only; production refuses to start without one.
SECRET_KEY = SECRET_KEY or "local-development-key-not-for-production"  # noqa: F405
