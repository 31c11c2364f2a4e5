"""Django's Redis cache backend, made to fail open: Redis down or hung degrades the site
(no caching, no rate limiting for a few seconds, logged), it never takes it down.

Django's RedisCache raises whatever redis-py raises, so a refused connection was a 500 on
every API call (throttling reads the cache) and a hung server held each request for the
client's default timeouts. Here every operation is bounded by short socket timeouts
(OPTIONS `socket_connect_timeout`, `socket_timeout`), makes no retries, and on a Redis
error answers as an empty cache would (a miss, a write that did not stick) and opens a
breaker: for `retry_interval` seconds the process does not try Redis at all, so only the
first request after an outage pays the timeout. django-redis has the fail-open part
(IGNORE_EXCEPTIONS) but not the breaker, and brings a client of its own; this stays on
Django's backend and redis-py.

Without Redis, production keeps the cache in PostgreSQL (CountingDatabaseCache, below).
"""

import base64
import logging
import pickle
import threading
import time
from functools import wraps
from math import inf

from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now

logger = logging.getLogger(__name__)


def _fail_open(default):
    """Run the operation unless the breaker is open; on a Redis error, log, open the
    breaker and return `default()` (what an empty cache would answer). A write that a full
    Redis refuses opens no breaker: Redis is up and its reads answer."""

    def decorator(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            if self.is_bypassed():
                return default(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except self.full_errors as exc:
                self.refused(method.__name__, exc)
                return default(*args, **kwargs)
            except self.redis_errors as exc:
                self.trip(method.__name__, exc)
                return default(*args, **kwargs)

        return wrapper

    return decorator


def _missing_key(key, *args, **kwargs):
    # incr/decr on a key an empty cache does not hold: Django's contract is ValueError.
    raise ValueError(f"Key '{key}' not found (the cache is unavailable).")


class KeptClientRedisCacheClient(RedisCacheClient):
    """One redis-py client per connection pool, made once. Django's client makes a new
    `redis.Redis` for every operation, and each builds its table of some 170 response
    callbacks: 0.17 ms, four times in an API answer from the cache (the rate limit's read and
    write, the public state, the page), 0.7 of its 3.3 ms. A client holds no connection of
    its own (the pool lends one per command) and is safe to share between threads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class FailOpenRedisCache(RedisCache):
    # Per process, per Redis address: Django makes one backend instance per thread, and one
    # thread's timeout should spare the others the same wait.
    _bypass_until: dict[str, float] = {}
    _full_logged_at: dict[str, float] = {}
    _lock = threading.Lock()

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_interval = float(options.pop("retry_interval", 5))
        # No retries inside redis-py: one short timeout, then the breaker decides.
        options.setdefault("retry_on_timeout", False)
        options.setdefault("retry_on_error", [])
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = KeptClientRedisCacheClient
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        self._options.setdefault("retry", Retry(NoBackoff(), 0))
        self.redis_errors = (redis.RedisError,)
        # `maxmemory` reached under `noeviction` (docs/operations.md): writes are refused.
        self.full_errors = (redis.exceptions.OutOfMemoryError,)
        self._location = ",".join(self._servers)

    # The breaker

    def is_bypassed(self) -> bool:
        return time.monotonic() < self._bypass_until.get(self._location, 0.0)

    def trip(self, operation: str, exc: Exception) -> None:
        with self._lock:
            already_open = self.is_bypassed()
            self._bypass_until[self._location] = time.monotonic() + self.retry_interval
        if not already_open:
            logger.warning(
                "Cache unavailable (%s on %s: %s): serving without cache and rate limits "
                "for %.0f s before trying again.",
                type(exc).__name__,
                operation,
                exc,
                self.retry_interval,
            )

    def refused(self, operation: str, exc: Exception) -> None:
        """A write a full Redis refused: dropped, as an empty cache drops nothing it is not
        given, and logged once per `retry_interval`. Opening the breaker for it turned every
        read off too, rate limits included, every few seconds for as long as Redis was full."""
        now = time.monotonic()
        with self._lock:
            if now < self._full_logged_at.get(self._location, -inf) + self.retry_interval:
                return
            self._full_logged_at[self._location] = now
        logger.warning(
            "Cache full (%s on %s: %s): writes are dropped, reads go on. Give Redis a "
            "maxmemory-policy that evicts, such as allkeys-lru (docs/operations.md).",
            type(exc).__name__,
            operation,
            exc,
        )

    def reset_breaker(self) -> None:
        with self._lock:
            self._bypass_until.pop(self._location, None)
            self._full_logged_at.pop(self._location, None)

    # Operations: each answers as an empty cache would when Redis cannot.

    add = _fail_open(lambda *a, **k: False)(RedisCache.add)
    get = _fail_open(lambda key, default=None, *a, **k: default)(RedisCache.get)
    set = _fail_open(lambda *a, **k: None)(RedisCache.set)
    touch = _fail_open(lambda *a, **k: False)(RedisCache.touch)
    delete = _fail_open(lambda *a, **k: False)(RedisCache.delete)
    get_many = _fail_open(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _fail_open(lambda *a, **k: False)(RedisCache.has_key)
    incr = _fail_open(_missing_key)(RedisCache.incr)
    set_many = _fail_open(lambda data, *a, **k: list(data))(RedisCache.set_many)
    delete_many = _fail_open(lambda *a, **k: None)(RedisCache.delete_many)

    @_fail_open(lambda *a, **k: False)
    def clear(self):
        """Delete this cache's keys (its KEY_PREFIX) only. Django's RedisCache.clear() runs
        FLUSHDB, which would also wipe whatever else shares the Redis database (another
        site, another test run)."""
        client = self._cache.get_client(write=True)
        pattern = self.make_key("*").replace(f":{self.version}:*", ":*")
        batch = []
        for key in client.scan_iter(match=pattern, count=500):
            batch.append(key)
            if len(batch) == 500:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
        return True


class CountingDatabaseCache(DatabaseCache):
    """Django's database cache (production without Redis), with an `incr` that counts
    every call however many arrive at once: the rate limits' counters (core.api.throttling).

    Django's `incr` is a `get` then a `set`: requests that arrive together each read the
    same count and each write back its own plus one, so all but one go uncounted. Here the
    row is read and rewritten in one transaction, locked (`SELECT ... FOR UPDATE`) where
    the database can: a second `incr` waits for the first to commit and reads its count.
    Its expiry is left as `add` set it, where Django's `set` moved it on each count."""

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table, cache_key = quote_name(self._table), quote_name("cache_key")
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        )
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote_name('value')}, {quote_name('expires')} FROM {table} "
                f"WHERE {cache_key} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            if row is not None:
                value, expires = row
                for converter in converters:
                    expires = converter(expires, expression, connection)
            if row is None or expires < tz_now():
                raise ValueError(f"Key '{key}' not found")
            value = connection.ops.process_clob(value)
            count = pickle.loads(base64.b64decode(value.encode())) + delta
            encoded = base64.b64encode(pickle.dumps(count, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {quote_name('value')} = %s WHERE {cache_key} = %s",
                [encoded, key],
            )
        return count
