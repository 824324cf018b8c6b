"""The Procfile runs as a deployment would: honcho starts its web and worker processes
with production settings against the PostgreSQL test database and the test's own Redis
database (TEST_REDIS_URL, flushed before and after); the web process becomes ready and
the worker listens on the queue."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests
from django.conf import settings
from django.db import connection
from rq import Worker

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_honcho_runs_the_procfiles_web_and_worker():
    if connection.vendor != "postgresql":
        pytest.skip("the processes need the test database on PostgreSQL")
    queue = redis.Redis.from_url(settings.TEST_REDIS_URL)
    try:
        queue.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {settings.TEST_REDIS_URL}")
    queue.flushdb()
    database = connection.settings_dict
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS"))},
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "nova.example",
        "WAGTAILADMIN_BASE_URL": "https://admin.example",
        "REDIS_URL": settings.TEST_REDIS_URL,
        "WEB_CONCURRENCY": "1",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
    }
    honcho = subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).parent / "honcho"), "start", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, ended as one below
    )
    try:
        deadline = time.monotonic() + 40
        ready = workers = None
        while time.monotonic() < deadline and honcho.poll() is None:
            try:
                ready = requests.get(
                    f"http://127.0.0.1:{port}/health/ready/",
                    headers={"Host": "10.0.3.7", "Accept": "application/json"},
                    timeout=5,
                )
            except requests.RequestException:  # not listening yet, or still loading
                ready = None
            workers = Worker.all(connection=queue)
            if ready is not None and ready.status_code == 200 and workers:
                break
            time.sleep(0.5)
        assert ready is not None and ready.status_code == 200, "web never became ready"
        assert [w.queue_names() for w in workers] == [["default"]]
    finally:
        os.killpg(honcho.pid, signal.SIGTERM)
        output = honcho.communicate(timeout=20)[0].decode(errors="replace")
        queue.flushdb()
    assert "web.1" in output and "worker.1" in output
