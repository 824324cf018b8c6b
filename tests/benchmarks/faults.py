"""Benchmark: serving through faults, and a worker killed in the middle of a fan-out.

Run:  make bench-faults [CLINICS=30]
      python tests/benchmarks/faults.py --clinics 30 --seconds 9 --outage 3

Not a pytest test. It never touches the shared PostgreSQL or Redis: it starts its own
PostgreSQL cluster (``initdb`` as the ``postgres`` user, in a temporary directory, on a
free port on 127.0.0.1) and its own ``redis-server`` (no persistence, a free port), and
stops and removes both on the way out, also after a failure. Production settings
(``cms.settings.production``, plain HTTP), gunicorn with 2 workers, 2 wrk connections
per core (``wrk -t2 -c8``) on 127.0.0.1 only.

1. Builds N clinics carrying the demo's library article; warms every clinic's home, blog
   index and article (the page cache and its last good copies).
2. Database outage: wrk requests those cached pages, rotating over the clinics, for
   ``--seconds``; after a third of it PostgreSQL is stopped (``pg_ctl stop -m fast``)
   for ``--outage`` seconds, then started again. Prints the 5xx count (target 0) and
   the page cache's outcomes (``X-Page-Cache``).
3. Redis outage: the same, with redis-server stopped and started again (its data is
   gone when it comes back, as after a crash without persistence). Target: 0 5xx.
4. A worker killed mid-fan-out: one RQ worker (``rqworker --with-scheduler``) runs a
   library publish's fan-out; once a quarter of the clinics are done it is killed with
   SIGKILL and a new worker started, as a supervisor would. Prints how many copies each
   clinic has (duplicates: target 0) and whether all are done, and when.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, where http.py would shadow
# the standard library's `http` (which urllib imports).
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse  # noqa: E402
import contextlib  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

ARTICLE = "/blog/what-causes-ptsd/"
SETTINGS_MODULE = "clinic_bench_faults_settings"
SETTINGS_TEXT = """\
from cms.settings.production import *  # noqa: F403

LOGGING["root"]["level"] = "CRITICAL"  # noqa: F405
"""
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LUA = """\
local hosts = {%(hosts)s}
local paths = {"/", "/blog/", "%(article)s"}
local threads = {}
local n = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  s5, hit, stale, miss, other, offset = 0, 0, 0, 0, 0, math.random(1, 1000)
end

function request()
  n = n + 1
  local i = n + offset
  return wrk.format("GET", paths[i %% #paths + 1], {Host = hosts[i %% #hosts + 1]})
end

function response(status, headers, body)
  if status >= 500 then s5 = s5 + 1 end
  local state = headers["X-Page-Cache"] or headers["x-page-cache"]
  if state == "hit" then hit = hit + 1
  elseif state == "stale" then stale = stale + 1
  elseif state == "miss" then miss = miss + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local t = {s5 = 0, hit = 0, stale = 0, miss = 0, other = 0}
  for _, thread in ipairs(threads) do
    for key, _ in pairs(t) do t[key] = t[key] + thread:get(key) end
  end
  io.write(string.format("RESULT requests=%%d s5xx=%%d hit=%%d stale=%%d miss=%%d other=%%d\\n",
    summary.requests, t.s5, t.hit, t.stale, t.miss, t.other))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinics", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=9, help="per wrk run")
    parser.add_argument("--outage", type=float, default=3.0, help="seconds a service is away")
    return parser.parse_args()


ARGS = parse_args()
WORK = Path(tempfile.mkdtemp(prefix="clinic_bench_faults_"))
PG_DATA, PG_PORT = WORK / "pgdata", free_port()
REDIS_PORT, WEB_PORT = free_port(), free_port()
(WORK / f"{SETTINGS_MODULE}.py").write_text(SETTINGS_TEXT)
ENV = {
    "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/clinic_bench_faults",
    "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
    "DJANGO_SECRET_KEY": "bench-faults-not-secret",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "WAGTAILADMIN_BASE_URL": "http://127.0.0.1",
    "LOG_LEVEL": "CRITICAL",
}
os.environ.update(ENV)
BENCH_ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join(
        [str(WORK), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    ),
}
sys.path.insert(0, str(WORK))
PY = sys.executable
PROCESSES: list[subprocess.Popen] = []
PG_BIN = Path(shutil.which("pg_ctl") or "/usr/lib/postgresql/15/bin/pg_ctl").resolve().parent
WRK, REDIS_SERVER = (shutil.which(tool) or tool for tool in ("wrk", "redis-server"))


def say(text: str = "") -> None:
    print(text, flush=True)


def as_postgres(*command: str, **kwargs) -> subprocess.CompletedProcess:
    """PostgreSQL's tools refuse to run as root: run them as the postgres user."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=True, **kwargs)  # noqa: S603


def pg_ctl(action: str, *extra: str) -> None:
    as_postgres(
        str(PG_BIN / "pg_ctl"),
        "-D",
        str(PG_DATA),
        "-l",
        str(WORK / "pg.log"),
        "-w",
        *extra,
        action,
        stdout=subprocess.DEVNULL,
    )


def start_postgres() -> None:
    options = f"-p {PG_PORT} -k {WORK} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl("start", "-o", options)


def start_redis() -> subprocess.Popen:
    return start(
        [
            REDIS_SERVER,
            "--port",
            str(REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )


def start(command: list[str], **kwargs) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=BENCH_ENV, start_new_session=True, **kwargs
    )
    PROCESSES.append(process)
    return process


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    if process in PROCESSES:
        PROCESSES.remove(process)


def manage(*command: str) -> None:
    subprocess.run(  # noqa: S603
        [PY, "manage.py", *command], cwd=ROOT, env=BENCH_ENV, check=True, stdout=subprocess.DEVNULL
    )


def fetch(host: str, path: str) -> tuple[int, str]:
    request = urllib.request.Request(  # noqa: S310
        f"http://127.0.0.1:{WEB_PORT}{path}", headers={"Host": host}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            response.read()
            return response.status, response.headers.get("X-Page-Cache", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Page-Cache", "")


def warm(hosts: list[str]) -> list[tuple[str, str, int]]:
    failed = []
    for host in hosts:
        for path in ("/", "/blog/", ARTICLE):
            status, _ = fetch(host, path)
            if status != 200:
                failed.append((host, path, status))
    return failed


def under_load(hosts: list[str], outage) -> dict:
    """wrk over the cached pages for --seconds; `outage()` runs a third of the way in."""
    script = WORK / "rotate.lua"
    quoted = ", ".join(f'"{host}"' for host in hosts)
    script.write_text(LUA % {"hosts": quoted, "article": ARTICLE})
    load = subprocess.Popen(  # noqa: S603
        [
            WRK,
            "-t2",
            "-c8",
            f"-d{ARGS.seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://127.0.0.1:{WEB_PORT}/",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(ARGS.seconds / 3)
    away = outage()
    output = load.communicate(timeout=ARGS.seconds + 60)[0]
    match = re.search(r"RESULT (.*)", output)
    if match is None:
        raise SystemExit(f"wrk printed no result:\n{output}")
    result = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", match.group(1))}
    result["away"] = away
    return result


def database_outage() -> float:
    started = time.monotonic()
    pg_ctl("stop", "-m", "fast")
    time.sleep(max(0.0, ARGS.outage - (time.monotonic() - started)))
    start_postgres()
    return time.monotonic() - started


def report(name: str, result: dict) -> None:
    say(
        f"{name}: {result['away']:.1f} s away; {result['requests']} responses under load, "
        f"{result['s5xx']} 5xx (target 0)  {'met' if result['s5xx'] == 0 else 'NOT MET'}; "
        f"X-Page-Cache hit {result['hit']}, stale {result['stale']}, miss {result['miss']}, "
        f"other {result['other']}"
    )


def build_network(count: int):
    """N clinics carrying the demo's library article (fanned out in this process)."""
    from wagtail.models import Page

    from blog.demo import LIBRARY_BODY
    from blog.models import ArticleLibraryPage, LibraryArticlePage
    from blog.provisioning import create_clinic

    root = Page.get_first_root_node()
    for page in root.get_children():
        page.delete()
    library = root.add_child(instance=ArticleLibraryPage(title="Article library", slug="library"))
    clinics = [
        create_clinic(
            title=f"Bench Clinic {n}",
            slug=f"bench-{n}",
            hostname=f"bench-{n}.localhost",
            port=WEB_PORT,
            city="Portland",
            region="OR",
            phone=f"(503) 555-{n:04d}",
        )
        for n in range(count)
    ]
    article = library.add_child(
        instance=LibraryArticlePage(
            title="What Causes PTSD?",
            slug="what-causes-ptsd",
            summary="Trauma, genetics and biology all play a part in PTSD.",
            body=LIBRARY_BODY,
            live=False,
        )
    )
    article.save_revision().publish()
    return clinics, article


def main() -> None:
    for tool in ("wrk", "redis-server"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install -y {tool}")
    if os.geteuid() == 0:
        shutil.chown(WORK, "postgres")
    say(f"bench-faults: {ARGS.clinics} clinics; PostgreSQL :{PG_PORT}, Redis :{REDIS_PORT}")
    as_postgres(
        str(PG_BIN / "initdb"),
        "-D",
        str(PG_DATA),
        "-U",
        "postgres",
        "-A",
        "trust",
        "--no-sync",
        stdout=subprocess.DEVNULL,
    )
    start_postgres()
    as_postgres(
        str(PG_BIN / "createdb"),
        "-h",
        "127.0.0.1",
        "-p",
        str(PG_PORT),
        "-U",
        "postgres",
        "clinic_bench_faults",
    )
    redis_server = start_redis()
    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput")

    import django

    django.setup()
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.db import connections
    from django.test import override_settings

    storage = staticfiles_storage
    storage.hashed_files, storage.manifest_hash = storage.load_manifest()
    with override_settings(TASKS=IMMEDIATE_TASKS):
        clinics, article = build_network(ARGS.clinics)
    hosts = [clinic.get_site().hostname for clinic in clinics]
    connections.close_all()

    server = start(
        [
            PY,
            "-m",
            "gunicorn",
            "cms.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{WEB_PORT}",
            "--log-level",
            "critical",
        ],
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                if fetch(hosts[0], "/")[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.2)
        if failed := warm(hosts) + warm(hosts):
            raise SystemExit(f"pages did not answer 200 before the faults: {failed[:5]}")

        say()
        report("PostgreSQL outage", under_load(hosts, database_outage))
        warm(hosts)

        def redis_outage() -> float:
            nonlocal redis_server
            started = time.monotonic()
            stop(redis_server)
            time.sleep(max(0.0, ARGS.outage - (time.monotonic() - started)))
            redis_server = start_redis()
            return time.monotonic() - started

        report("Redis outage", under_load(hosts, redis_outage))
    finally:
        stop(server)

    say()
    killed_worker(article, clinics)


def killed_worker(article, clinics) -> None:
    from django.db import connections
    from django.db.models import Count
    from redis import Redis
    from rq import Worker

    from blog.models import ClinicArticlePage, LibraryArticlePage, SyndicationJob, SyndicationRun

    redis = Redis.from_url(ENV["REDIS_URL"])

    def worker() -> subprocess.Popen:
        return start(
            [PY, "manage.py", "rqworker", "--with-scheduler", "default"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    first = worker()
    deadline = time.monotonic() + 60
    while not Worker.all(connection=redis):
        if time.monotonic() > deadline:
            raise SystemExit("the RQ worker did not start")
        time.sleep(0.2)
    article = LibraryArticlePage.objects.get(pk=article.pk)
    article.title = "What Causes PTSD? (revised)"
    previous = SyndicationRun.objects.filter(article=article).count()
    started = time.monotonic()
    article.save_revision().publish()  # the fan-out is queued on Redis when this commits
    while SyndicationRun.objects.filter(article=article).count() == previous:
        time.sleep(0.05)
    run = SyndicationRun.objects.filter(article=article).latest("pk")
    quarter = max(1, len(clinics) // 4)
    while run.jobs.filter(status=SyndicationJob.Status.DONE).count() < quarter:
        if time.monotonic() - started > 120:
            raise SystemExit("the fan-out never got going")
        time.sleep(0.02)
    stop(first, signal.SIGKILL)
    killed_at = time.monotonic()
    done_then = run.jobs.filter(status=SyndicationJob.Status.DONE).count()
    say(
        f"worker killed (SIGKILL) {killed_at - started:.1f} s into the fan-out, "
        f"{done_then} of {len(clinics)} clinics done; a new worker started"
    )
    second = worker()
    try:
        while SyndicationRun.objects.filter(pk=run.pk, finished_at__isnull=True).exists():
            if time.monotonic() - killed_at > 300:
                break
            time.sleep(0.2)
        finished = time.monotonic()
        connections.close_all()
        copies = {
            clinic.pk: ClinicArticlePage.objects.descendant_of(clinic).filter(source=article)
            for clinic in clinics
        }
        duplicates = sum(max(0, query.count() - 1) for query in copies.values())
        missing = sum(1 for query in copies.values() if not query.filter(live=True).exists())
        retitled = sum(
            1 for query in copies.values() if query.filter(title__endswith="(revised)").exists()
        )
        jobs = dict(run.jobs.values_list("status").annotate(n=Count("pk")))
        say(
            f"after the restart: run finished {finished - killed_at:.1f} s after the kill"
            if not SyndicationRun.objects.filter(pk=run.pk, finished_at__isnull=True).exists()
            else "after the restart: the run did NOT finish within 300 s"
        )
        say(
            f"  jobs {jobs}; duplicate copies {duplicates} (target 0) "
            f"{'met' if duplicates == 0 else 'NOT MET'}; clinics without a live copy {missing}; "
            f"copies showing the revised title {retitled} of {len(clinics)} "
            f"{'met' if retitled == len(clinics) else 'NOT MET'}"
        )
    finally:
        stop(second)


if __name__ == "__main__":
    try:
        main()
    finally:
        for process in list(PROCESSES):
            stop(process)
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        with contextlib.suppress(Exception):
            pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(WORK, ignore_errors=True)
