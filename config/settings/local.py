"""Local development: `make run`. SQLite unless DATABASE_URL says otherwise."""

from .base import *  # noqa: F403
from .base import MIDDLEWARE, SECRET_KEY, env

DEBUG = env.bool("DEBUG", default=True)
# A fixed key is fine for a developer's machine only; production refuses to start without one.
SECRET_KEY = SECRET_KEY or "local-development-key-not-for-production"

# Static files come straight from static/ and the apps (WhiteNoise's finders mode), so no
# collectstatic run is needed; production collects them into STATIC_ROOT.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Unknown addresses show the site's 404 page under DEBUG too (what a visitor would see);
# TECHNICAL_404=true shows Django's technical 404 page instead, with the URL patterns tried.
if DEBUG and not env.bool("TECHNICAL_404", default=False):
    MIDDLEWARE = [
        *MIDDLEWARE[:-1],
        "core.middleware.SiteNotFoundPageMiddleware",
        MIDDLEWARE[-1],  # axes stays last
    ]
