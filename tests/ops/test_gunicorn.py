"""The committed gunicorn.conf.py boots the application under production settings and
serves the health endpoints: the command `make serve` and a deployment run."""

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.ops.test_production_settings import production_env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def test_the_configuration_is_valid():
    result = subprocess.run(
        [GUNICORN, "--check-config", "--config", "gunicorn.conf.py"],
        cwd=BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_gunicorn_serves_the_site_with_production_settings(tmp_path, refused_port):
    port = refused_port  # free: nothing listens on it
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        PORT=str(port),
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="2",
        SECURE_SSL_REDIRECT="false",
    )
    server = subprocess.Popen(
        [GUNICORN, "--config", "gunicorn.conf.py"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert json.load(r) == {"status": "ok"}
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("gunicorn did not answer /healthz within 30 s")
                time.sleep(0.3)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as r:
            ready = json.load(r)
        assert ready["checks"]["database"]["status"] == "ok"
        # Without REDIS_URL production caches in the database, whose table this empty
        # database lacks: the cache is reported, the database is not blamed for it.
        assert ready["status"] in {"ok", "degraded"}
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "Using worker: gthread" in output
    assert '"GET /healthz HTTP/1.1" 200' in output  # the access log


def test_each_worker_keeps_what_it_loaded_out_of_the_collectors_walks():
    """What a worker loads lives as long as the worker: a full collection need not walk it
    (gc.freeze after the application is loaded), or every few dozen requests pause on it."""
    import gc
    import runpy

    hook = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))["post_worker_init"]
    gc.unfreeze()
    try:
        hook(worker=None)
        assert gc.get_freeze_count() > 10_000  # the interpreter, Django and the project
    finally:
        gc.unfreeze()
