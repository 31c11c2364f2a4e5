"""gunicorn's configuration for production and `make serve` (docs/operations.md).

Every value can be overridden from the environment (the names below) or on the command line.

Worker class: gthread. A sync worker is killed when one request outlives `timeout`, and the
CSV export of every work streams for minutes at scale (a 100,000-work export was cut after
30 s with a 200 already sent: a silently truncated file). A gthread worker's heartbeat comes
from its main thread, so `timeout` only catches a worker that stopped answering as a whole;
a long stream runs to its end. What bounds a request instead: the database's connect and
statement timeouts (DB_CONNECT_TIMEOUT, DB_STATEMENT_TIMEOUT: a hung database is a 503
within seconds), the cache's socket timeout (CACHE_SOCKET_TIMEOUT), and for a stream the
front proxy's read/send timeouts.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


HOST = os.environ.get("HOST", "127.0.0.1")
bind = os.environ.get("GUNICORN_BIND", f"{HOST}:{_int('PORT', 8000)}")
wsgi_app = "config.wsgi:application"

# Processes x threads: each thread serves one request and holds one database connection
# (CONN_MAX_AGE keeps it open), so workers x threads must stay under PostgreSQL's
# max_connections with room for the admin and backups.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)

# Seconds. `timeout`: a worker silent this long is restarted (see above: not a request
# limit under gthread). `graceful_timeout`: on restart or deploy, how long running requests
# may finish.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)

# A worker takes a connection only when one of its threads is free, and closes it after the
# answer (no keep-alive: the proxy in front keeps its clients' connections, not gunicorn).
# Left at gthread's defaults (1000 connections a worker, keep-alive 2 s) a worker whose
# threads were all busy kept accepting, and kept-alive clients stayed pinned to it while
# other workers idled: under 64 connections a fifth of the requests on / waited past 10 s.
# This way the waiting happens in the listen socket's queue, first come first served by
# whichever worker frees a thread. GUNICORN_KEEPALIVE > 0 also raises worker_connections.
keepalive = _int("GUNICORN_KEEPALIVE", 0)
worker_connections = threads + (64 if keepalive else 0)
backlog = _int("GUNICORN_BACKLOG", 2048)

# Restart each worker after this many requests (spread by the jitter): bounds the memory a
# slow leak can take, without restarting all workers at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 10_000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 1_000)

# gunicorn refuses a request line over 4094 bytes (414) or a header over 8190 (431) with a
# plain-text page of its own, before Django sees it. The front proxy should refuse smaller
# ones first, as JSON under /api/ (docs/operations.md has the nginx lines).
limit_request_line = _int("GUNICORN_LIMIT_REQUEST_LINE", 4094)
limit_request_field_size = _int("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", 8190)

# Logs to stdout/stderr, for the process manager to collect. The access log records the
# client as the front proxy saw it, the status, bytes and the time taken in microseconds.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(B)s %(D)sus "%(f)s" "%(a)s"'

# The heartbeat file on a memory file system, so a slow disk cannot make healthy workers
# look dead.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Production settings unless the environment names others.
SETTINGS = os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.production")
raw_env = [f"DJANGO_SETTINGS_MODULE={SETTINGS}"]

# gunicorn 27's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl),
# which two servers on one machine would fight over; signals (HUP, TERM) do the same job.
control_socket_disable = True


def post_worker_init(worker):
    """Move what the worker holds once the application is loaded (Django's models, URLs,
    settings, the libraries: about 100,000 objects) out of the garbage collector's reach
    (gc.freeze). They live as long as the worker, and every full collection walked all of
    them: a pause of tens of milliseconds every few dozen requests, in the slowest
    requests' times (docs/benchmarks.md, seventh pass: a two-character search's p95 at 1M,
    114 to 206 ms, 117 to 133 ms with this)."""
    import gc

    gc.freeze()
