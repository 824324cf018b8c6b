"""Readiness follows the database of a running server: gunicorn with production settings
reaches the PostgreSQL test database through a proxy this test controls (the shared
server is never stopped); the proxy is stopped and started again."""

import os
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

from tests.proxy import TcpProxy

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def database_proxy():
    if connection.vendor != "postgresql":
        pytest.skip("the server process needs the test database on PostgreSQL")
    database = connection.settings_dict
    proxy = TcpProxy(database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)).start()
    yield proxy
    proxy.stop()


@pytest.fixture
def server(database_proxy):
    try:
        redis.Redis.from_url(settings.TEST_REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {settings.TEST_REDIS_URL}")
    database = connection.settings_dict
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS"))},
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "nova.example",
        "WAGTAILADMIN_BASE_URL": "https://admin.example",
        "REDIS_URL": settings.TEST_REDIS_URL,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@127.0.0.1:{database_proxy.port}/{database['NAME']}"
        ),
    }
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "cms.wsgi", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(f"{base}/health/live/", timeout=10)
            break
        except requests.RequestException:  # not listening yet, or still loading the app
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"gunicorn did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


def probe(base: str, path: str) -> requests.Response:
    # A load balancer asks by address, over plain HTTP.
    return requests.get(
        f"{base}{path}",
        headers={"Host": "10.0.3.7", "Accept": "application/json"},
        timeout=10,
        allow_redirects=False,
    )


def test_readiness_follows_the_database_and_liveness_does_not(server, database_proxy):
    ready = probe(server, "/health/ready/")
    assert ready.status_code == 200, ready.text
    assert set(ready.json().values()) == {"OK"}
    # A page on the same address is refused: the host check holds elsewhere.
    assert probe(server, "/").status_code == 400

    database_proxy.stop()
    down = probe(server, "/health/ready/")
    assert down.status_code == 500
    assert down.json()["Database(alias='default')"].startswith("Unavailable")
    assert down.json()["Redis"] == "OK"
    live = probe(server, "/health/live/")
    assert live.status_code == 200

    database_proxy.start()
    again = probe(server, "/health/ready/")
    assert again.status_code == 200, again.text
