"""config.settings.production as an operator gets it: `check --deploy` is clean, HSTS
lasts a year, and the cache that rate limits count in is shared by every worker.

Settings are read once per process, so each test loads them in a process of its own with
the environment it describes."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
STRONG_KEY = "x7Q-" + "kP2vN9sLm4Rt8Wz1Yb6Hc3Jd5Fg0Aa" * 2  # 64 characters, varied


# What this process's environment may carry that production settings would read: the
# test's own database and cache, and the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE.
NOT_INHERITED = {
    "DATABASE_URL",
    "REDIS_URL",
    "SECURE_SSL_REDIRECT",
    "TRUSTED_PROXY_COUNT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def production_env(**overrides) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in NOT_INHERITED and not key.startswith(("SECURE_HSTS", "DB_", "CACHE_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY=STRONG_KEY)
    env.update(overrides)
    return env


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(names: list[str], **env) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))"
    )
    result = run(["-c", code], production_env(**env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_finds_nothing_under_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_turning_the_https_redirect_off_is_reported_by_check_deploy():
    """The one warning an operator may accept on purpose (the proxy redirects instead)
    stays visible rather than silenced."""
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(SECURE_SSL_REDIRECT="false"),
    )
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_hsts_lasts_a_year_with_subdomains_and_preload_by_default():
    values = production_settings(
        ["SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD"]
    )
    assert values == {
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
    }


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    env.pop("SECRET_KEY")
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_without_redis_rate_limits_count_in_the_database_shared_by_all_workers():
    """Per-process memory let a limit of 60 admit 92 requests across workers."""
    caches = production_settings(["CACHES"])["CACHES"]
    assert caches["default"]["BACKEND"] == "core.cache.CountingDatabaseCache"


def test_with_redis_the_cache_fails_open_within_short_timeouts():
    caches = production_settings(["CACHES"], REDIS_URL="redis://cache.internal:6379/0")["CACHES"]
    assert caches["default"]["BACKEND"] == "core.cache.FailOpenRedisCache"
    assert caches["default"]["LOCATION"] == "redis://cache.internal:6379/0"
    assert caches["default"]["OPTIONS"]["socket_timeout"] <= 0.5
    assert caches["default"]["OPTIONS"]["socket_connect_timeout"] <= 0.5


def test_postgresql_gets_connect_and_statement_timeouts_from_the_environment():
    databases = production_settings(
        ["DATABASES"],
        DATABASE_URL="postgres://catalog:secret@db.internal:5432/catalog",
        DB_CONNECT_TIMEOUT="4",
        DB_STATEMENT_TIMEOUT="20",
    )["DATABASES"]
    options = databases["default"]["OPTIONS"]
    assert databases["default"]["HOST"] == "db.internal"
    assert options["connect_timeout"] == 4
    assert options["options"] == "-c statement_timeout=20000 -c jit=off"


def test_check_deploy_refuses_a_cache_that_lives_in_one_process(settings):
    from django.core.checks import Tags, run_checks

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ids = [m.id for m in run_checks(include_deployment_checks=True, tags=[Tags.caches])]
    assert "core.E001" in ids
    settings.CACHES = {"default": {"BACKEND": "core.cache.CountingDatabaseCache", "LOCATION": "t"}}
    ids = [m.id for m in run_checks(include_deployment_checks=True, tags=[Tags.caches])]
    assert "core.E001" not in ids
    assert "core.W001" not in ids
    # Django's own database cache is shared, but counts a burst as one request.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t"}
    }
    ids = [m.id for m in run_checks(include_deployment_checks=True, tags=[Tags.caches])]
    assert "core.E001" not in ids
    assert "core.W001" in ids
