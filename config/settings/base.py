"""Settings shared by every environment; values that differ come from the environment.

Every variable is read here, through django-environ, with its default: docs/operations.md
lists them. A `.env` file beside manage.py is read too when present (the environment wins).
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env", overwrite=False)

# ------------------------------------------------------------------------------
# General
# ------------------------------------------------------------------------------
SECRET_KEY = env.str("SECRET_KEY", default="")
# Rotating SECRET_KEY: the old key goes here for a while, so sessions and password-reset
# links signed with it stay valid until they expire (docs/operations.md).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_NAME = "Micro-Drama Catalog"
# Share images (public/sharing.py: a PNG per work and per batch with its title in both
# scripts) need a font that covers Chinese: Debian's fonts-noto-cjk by default. Empty, or a
# file that is not there, means no generated image: pages then offer the site's generic one.
SHARE_IMAGE_FONT = env.str(
    "SHARE_IMAGE_FONT", default="/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
)

# ------------------------------------------------------------------------------
# Internationalisation
# ------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# ------------------------------------------------------------------------------
# Databases
# ------------------------------------------------------------------------------
# SQLite is the embedded default so `make run` needs no server; production sets DATABASE_URL.
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database that is down or hung answers 503 (core.middleware) within these bounds, never
# after the worker's timeout: the connect timeout covers a server that refuses or never
# answers, the statement timeout (PostgreSQL) a query that runs away or waits on a lock.
DB_CONNECT_TIMEOUT = env.int("DB_CONNECT_TIMEOUT", default=3)  # seconds
DB_STATEMENT_TIMEOUT = env.int("DB_STATEMENT_TIMEOUT", default=15)  # seconds; 0: none
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": DB_CONNECT_TIMEOUT,
            # JIT off: PostgreSQL compiles a query to machine code when its estimated cost
            # passes jit_above_cost, which the OR of EXISTS and the JSON columns of a list
            # page do; the compiling took 195 of a count's 244 ms at 100k works
            # (docs/benchmarks.md, EXPLAIN). A catalog's queries are short: JIT never pays.
            "options": f"-c statement_timeout={DB_STATEMENT_TIMEOUT * 1000} -c jit=off",
        }
    )
# What a 503 for a database outage tells clients (Retry-After, seconds).
DB_UNAVAILABLE_RETRY_AFTER = env.int("DB_UNAVAILABLE_RETRY_AFTER", default=30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ------------------------------------------------------------------------------
# Applications
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
]
THIRD_PARTY_APPS = [
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "import_export",
    "axes",
    "csp",
]
LOCAL_APPS = [
    "core",
    "catalog",
    "initiatives",
    "public",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# ------------------------------------------------------------------------------
# Middleware
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    # First: a load balancer's probe is answered before host checks, HTTPS redirects,
    # sessions or anything else that could fail for reasons of its own.
    "core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # The API's RateLimit fields, outside every cache of answers.
    "core.api.throttling.RateLimitHeadersMiddleware",
    # Anonymous pages: 304s and cached pages from the public state, before sessions and views.
    "core.caching.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A database that refuses, hangs past its timeouts or cancels a statement: 503.
    "core.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ------------------------------------------------------------------------------
# URLs, templates, static files
# ------------------------------------------------------------------------------
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "public.context_processors.site",
            ],
        },
    },
]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# ------------------------------------------------------------------------------
# Security
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the admin's JS reads it, as Django documents
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): everything from this site, nothing inline. Scripts
# and styles live in static/; JSON-LD blocks are data, which CSP does not govern.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Permissions-Policy (django-permissions-policy): the catalog uses none of these features,
# so no page, and nothing a page might embed, may ask for them.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

# ------------------------------------------------------------------------------
# Client addresses behind proxies
# ------------------------------------------------------------------------------
# How many reverse proxies (TLS terminator, load balancer) stand between the clients and
# gunicorn, each appending the address it saw to X-Forwarded-For. 0: trust no
# X-Forwarded-For and use the connection's address. core.net.client_ip() reads it, and
# both the API's rate limits and django-axes use that one function (docs/operations.md).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# django-axes: lock an account+address pair out of the admin after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"  # says why and how long, in the admin's look
AXES_CLIENT_IP_CALLABLE = "core.net.client_ip"

# ------------------------------------------------------------------------------
# Cache
# ------------------------------------------------------------------------------
# Redis when REDIS_URL is set (production), otherwise memory in the process (make run).
# The Redis backend fails open (core.cache): an outage or a hang costs at most one short
# socket timeout, then the cache is bypassed for CACHE_RETRY_INTERVAL seconds and logged;
# requests keep being served, uncached and unthrottled, meanwhile.
REDIS_URL = env.str("REDIS_URL", default="")
CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=0.25)  # seconds
CACHE_RETRY_INTERVAL = env.float("CACHE_RETRY_INTERVAL", default=5)  # seconds


def redis_cache(url: str) -> dict:
    return {
        "BACKEND": "core.cache.FailOpenRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="catalog"),
        "OPTIONS": {
            "socket_connect_timeout": CACHE_SOCKET_TIMEOUT,
            "socket_timeout": CACHE_SOCKET_TIMEOUT,
            "retry_interval": CACHE_RETRY_INTERVAL,
        },
    }


# Anonymous pages stay in the cache this long at most (publishing retires them at once: their
# key carries the public state's version); a CDN or browser may reuse one for PAGE_MAX_AGE.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
PAGE_MAX_AGE = env.int("PAGE_MAX_AGE", default=60)
# Once a publication commits, compute in a background thread what the pages count over the
# whole catalog once per public state (core.caching.warmed_after_publication), rather than
# in the first visitor's request: 4 s at 1M works.
WARM_AFTER_PUBLICATION = env.bool("WARM_AFTER_PUBLICATION", default=True)
# API lists and records kept per public-state version (core/api/viewsets.py): only with a
# shared cache (Redis), where every worker reads what one built; 0 turns it off.
API_CACHE_SECONDS = env.int("API_CACHE_SECONDS", default=600 if REDIS_URL else 0)
# Each work's related rows in the API, kept per work and public-state version
# (public/api/kept_rows.py): only with Redis; about 1 KB a work read within this time.
API_ROWS_CACHE_SECONDS = env.int("API_ROWS_CACHE_SECONDS", default=600 if REDIS_URL else 0)
CACHES = {
    "default": (
        redis_cache(REDIS_URL)
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# ------------------------------------------------------------------------------
# Django REST framework, django-filter, drf-spectacular, CORS
# ------------------------------------------------------------------------------
# The partner API (docs/api.md): read-only, anonymous or with a key (hashed, managed in the
# admin), JSON or CSV, page-number or cursor pagination, JSON errors. Rates are per minute
# per client address (anonymous) or per key; raise them through the environment.
API_ANON_RATE = env.str("API_ANON_RATE", default="60/min")
API_KEY_RATE = env.str("API_KEY_RATE", default="1200/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["core.api.authentication.ApiKeyAuthentication"],
    # Viewsets are read-only, so writes get 405 from every endpoint, key or not.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttling.AnonymousRateThrottle",
        "core.api.throttling.ApiKeyRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_RATE, "api_key": API_KEY_RATE},
    "DEFAULT_RENDERER_CLASSES": [
        "core.api.renderers.JSONRenderer",
        "core.api.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api.negotiation.CatalogContentNegotiation",
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.CatalogFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.CatalogAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.CatalogPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "COERCE_DECIMAL_TO_STRING": False,
    "UNICODE_JSON": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Micro-Drama Catalog API",
    "DESCRIPTION": (
        "Read-only catalog of officially recommended micro-dramas: works, themes, "
        "initiatives, batches, places and organisations. Anonymous reads are rate-limited; "
        "partners send `Authorization: Api-Key <key>` for a higher limit. Guide: docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "PlaceKindEnum": "catalog.models.Place.Kind",
        "OrganisationKindEnum": "catalog.models.Organisation.Kind",
        "InitiativeKindEnum": "initiatives.models.Initiative.Kind",
        "DatePrecisionEnum": "initiatives.models.DatePrecision",
        "WorkPlaceRelationEnum": "catalog.models.WorkPlace.Relation",
        "WorkOrganisationRoleEnum": "catalog.models.WorkOrganisation.Role",
        "InitiativeOrganisationRoleEnum": "initiatives.models.InitiativeOrganisation.Role",
        "CountBasisEnum": "initiatives.models.CountBasis",
    },
}
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# What a partner's web page may read beyond the safelisted headers: the next pages (Link),
# the validator to send back (ETag) and where its budget stands (docs/api.md).
CORS_EXPOSE_HEADERS = ["ETag", "Link", "RateLimit", "RateLimit-Policy", "Retry-After"]

# ------------------------------------------------------------------------------
# Logging
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
