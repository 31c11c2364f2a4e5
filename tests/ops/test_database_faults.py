"""A database outage is a 503 with Retry-After, not a 500, and a hung database cannot hold
a request for longer than the connect timeout.

Each test starts a process of its own (tests/ops/probe.py) whose DATABASE_URL points at a
closed port (refused) or at a listener that accepts and never answers (hung); no database
server is needed, so these run in the SQLite suite too."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CONNECT_TIMEOUT = 2  # seconds; libpq counts anything below 2 as 2
# Without a connect timeout a hung server held a request until gunicorn killed the worker
# (60 s); the bound leaves room for rendering the 503 on a busy machine.
BOUND = CONNECT_TIMEOUT + 8
PAGES = ["/", "/works/", "/zh-hans/works/", "/search/?q=Ningbo"]
API = ["/api/v1/works/", "/api/v1/themes/tea/", "/api/v1/batches/?format=json"]


def probe(port: int, paths: list[str]) -> dict[str, dict]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://catalog@127.0.0.1:{port}/catalog",
        "DB_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
        "DB_UNAVAILABLE_RETRY_AFTER": "30",
    }
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "tests.ops.probe", *paths],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return {row["path"]: row for row in json.loads(result.stdout.strip().splitlines()[-1])}


@pytest.fixture(params=["refused", "hung"])
def dead_database_port(request):
    return request.getfixturevalue(f"{request.param}_port")


def test_pages_answer_503_with_retry_after_in_the_sites_layout(dead_database_port):
    rows = probe(dead_database_port, PAGES)
    for path, row in rows.items():
        assert row["status"] == 503, (path, row["body"][:500])
        assert row["headers"]["Retry-After"] == "30"
        assert row["headers"]["Cache-Control"] == "no-store"
        assert row["headers"]["Content-Type"].startswith("text/html")
        assert '<header class="site-header">' in row["body"]  # the site's layout
        assert row["seconds"] < BOUND, (path, row["seconds"])
    chinese = rows["/zh-hans/works/"]  # one of PAGES: no second process to start
    assert 'lang="zh-Hans"' in chinese["body"]
    assert "暂时无法访问" in chinese["body"]


def test_api_answers_503_json_in_its_error_shape(dead_database_port):
    for path, row in probe(dead_database_port, API).items():
        assert row["status"] == 503, (path, row["body"][:500])
        assert row["headers"]["Content-Type"] == "application/json"
        assert row["headers"]["Retry-After"] == "30"
        assert json.loads(row["body"]) == {
            "detail": "The catalog is temporarily unavailable. Try again shortly."
        }
        assert row["seconds"] < BOUND, (path, row["seconds"])


def test_readyz_says_the_database_is_unavailable_and_healthz_stays_up(dead_database_port):
    rows = probe(dead_database_port, ["/healthz", "/readyz"])
    assert rows["/healthz"]["status"] == 200
    ready = rows["/readyz"]
    assert ready["status"] == 503
    data = json.loads(ready["body"])
    assert data["status"] == "unavailable"
    assert data["checks"]["database"] == {"status": "unavailable", "error": "OperationalError"}
    assert ready["seconds"] < BOUND


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("statement_timeout", "15s"),
        # JIT compiling took 195 of a theme count's 244 ms at 100k works (docs/benchmarks.md).
        ("jit", "off"),
    ],
)
def test_postgresql_sessions_run_with_the_sites_settings(setting, value):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(f"{setting} is a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {setting}")
        assert cursor.fetchone()[0] == value
