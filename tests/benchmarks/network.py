"""Benchmark: the publishing pipeline and the admin views over a network of N clinics.

Run:  make bench-network [CLINICS="200 500"]
      python tests/benchmarks/network.py --clinics 200 500

Not a pytest test (no ``test_`` prefix): it builds whole networks and takes minutes.

For each N it works on its own PostgreSQL database (``clinic_bench``, dropped and
created again for every N, then ``migrate``) and its own Redis database (number 12,
flushed at the start and the end; never 0). It builds N clinics through
``blog.provisioning.create_clinic`` (one transaction per batch), each carrying one
library article (the demo's "What Causes PTSD?"), as production would look, and starts
two RQ workers (``manage.py rqworker --with-scheduler default``, with the worker and
job classes of ``settings.RQ``) on that database and Redis. Then, as an editor would,
through Django's test Client in this process (a real admin request with the RQ
backend: the request only queues the work, the workers do it), as a member of the
central team who is also a medical reviewer (the library's medical-review workflow is
set up as in the demo; only a reviewer's publish of a library article goes through)
and, for a copy, as its clinic's editor:

- publishes a new library article (after opening it and saving a draft, not timed):
  the request's time, and the time from the click until every clinic's copy is live
  (the database is polled);
- edits one paragraph of it and publishes again: the request's time, and the time until
  every live copy's canonical decision (``seo.models.CanonicalDecision``) is computed
  again after the click;
- opens a clinic copy's edit view and the library article's edit view (ms, queries) and
  Reports -> Content review (ms, KB): a warm-up, then the median of a few requests.

Settings: ``cms.settings.production`` (DEBUG off, the Redis cache, the page cache) with
only what the test Client over plain HTTP needs changed (a module written to a temporary
folder, used by this process and the workers alike). Each request's CPU time in this
process and its queries' time and number are printed too: on a busy machine the wall
time grows with the load, those much less.

Each figure is printed next to its target, then the ratio of the largest N to the
smallest (500/200 by default). The workers are stopped, the Redis database flushed and
the bench database dropped on the way out, also after a failure or Ctrl-C.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Run as a script, this folder comes first on sys.path, where a benchmark's module
# (e.g. http.py) would shadow the standard library's: the project root instead.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WORKERS = 2
CLINIC_BATCH = 25  # clinics created per transaction
CITIES = [
    ("Portland", "OR"),
    ("Pittsburgh", "PA"),
    ("Springfield", "IL"),
    ("Austin", "TX"),
    ("Denver", "CO"),
    ("Madison", "WI"),
]

# The bench's own settings: production's (DEBUG off, the Redis cache, persistent
# connections, the page cache), on the bench's database and Redis database, with only
# what Django's test Client over plain HTTP and a tree without collectstatic need.
SETTINGS_MODULE = "clinic_bench_settings"
SETTINGS_TEXT = """\
from cms.settings.production import *  # noqa: F403

ALLOWED_HOSTS = ["testserver", ".localhost"]
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinics", type=int, nargs="+", default=[200, 500])
    parser.add_argument("--database", default="clinic_bench")
    parser.add_argument("--pg-host", default="127.0.0.1")
    parser.add_argument("--pg-port", type=int, default=5432)
    parser.add_argument("--pg-user", default="postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379", help="without a db number")
    parser.add_argument("--redis-db", type=int, default=12)
    parser.add_argument("--repeats", type=int, default=5, help="requests per view (median)")
    parser.add_argument(
        "--timeout", type=float, default=None, help="seconds per wait (default 120 + N)"
    )
    parser.add_argument(
        "--keep-db", action="store_true", help="leave the last database and the worker logs"
    )
    args = parser.parse_args()
    if args.redis_db == 0:
        parser.error("never Redis database 0: it is the shared one")
    if "bench" not in args.database:
        parser.error("the database is dropped: its name must contain 'bench'")
    return args


ARGS = parse_args()
DATABASE_URL = f"postgres://{ARGS.pg_user}@{ARGS.pg_host}:{ARGS.pg_port}/{ARGS.database}"
REDIS_URL = f"{ARGS.redis.rstrip('/')}/{ARGS.redis_db}"
SETTINGS_DIR = Path(tempfile.mkdtemp(prefix="clinic_bench_"))
(SETTINGS_DIR / f"{SETTINGS_MODULE}.py").write_text(SETTINGS_TEXT)
if not ARGS.keep_db:  # also when Django fails to start
    atexit.register(shutil.rmtree, SETTINGS_DIR, ignore_errors=True)
BENCH_ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
    "PYTHONPATH": os.pathsep.join(
        [str(SETTINGS_DIR), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    ),
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "LOG_LEVEL": "WARNING",
    "DJANGO_SECRET_KEY": "bench-only-not-secret",
    "WAGTAILADMIN_BASE_URL": "http://testserver",
}
os.environ.update({k: v for k, v in BENCH_ENV.items() if k != "PYTHONPATH"})
sys.path.insert(0, str(SETTINGS_DIR))

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from rq import Queue, Worker  # noqa: E402
from rq.job import Job as RQJob  # noqa: E402
from rq.registry import ScheduledJobRegistry, StartedJobRegistry  # noqa: E402
from wagtail.models import Page, Site  # noqa: E402
from wagtail.test.utils.form_data import rich_text  # noqa: E402

from blog.demo import LIBRARY_BODY  # noqa: E402
from blog.models import (  # noqa: E402
    ArticleLibraryPage,
    ClinicArticlePage,
    LibraryArticlePage,
    SyndicationJob,
)
from blog.provisioning import create_clinic  # noqa: E402
from clinics.models import CallToAction, Person, Topic  # noqa: E402
from clinics.provisioning import (  # noqa: E402
    CENTRAL_TEAM,
    MEDICAL_REVIEWERS,
    provision_central_team,
)
from review.models import ReviewerProfile  # noqa: E402
from review.workflow import setup_medical_review  # noqa: E402
from seo.models import CanonicalDecision  # noqa: E402

REDIS = redis.Redis.from_url(REDIS_URL)


def say(text: str = "") -> None:
    print(text, flush=True)


def load() -> str:
    """Timings mean little on a busy machine: say how busy it is."""
    one, five, _ = os.getloadavg()
    return f"machine: {os.cpu_count()} CPUs, load average {one:.1f} (1 min), {five:.1f} (5 min)"


class Timeout(Exception):
    pass


def wait_for(what: str, done: Callable[[], tuple[bool, str]], timeout: float) -> float:
    """Poll `done` until it says so; seconds waited. Progress every 5 s; Timeout after."""
    started = last = time.monotonic()
    while True:
        ok, state = done()
        now = time.monotonic()
        if ok:
            return now - started
        if now - started > timeout:
            raise Timeout(f"{what}: not done after {timeout:.0f} s ({state})")
        if now - last >= 5:
            say(f"    ... {what}: {state} ({now - started:.0f} s)")
            last = now
        time.sleep(0.1)


# --- database, Redis, workers ----------------------------------------------------------


def pg(*command: str) -> None:
    base = ["-h", ARGS.pg_host, "-p", str(ARGS.pg_port), "-U", ARGS.pg_user]
    subprocess.run([command[0], *base, *command[1:]], check=True)  # noqa: S603


def recreate_database() -> None:
    connections.close_all()
    pg("dropdb", "--if-exists", "--force", ARGS.database)
    pg("createdb", ARGS.database)


def drop_database() -> None:
    connections.close_all()
    pg("dropdb", "--if-exists", "--force", ARGS.database)


def manage(*command: str, timeout: float = 600) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=BENCH_ENV,
        check=True,
        timeout=timeout,
        stdout=subprocess.DEVNULL,
    )


class Workers:
    """The RQ worker processes, each in its own process group (RQ forks a work horse
    per job): stopped by their own ids, warm shutdown first, then killed."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def start(self, count: int) -> int:
        command = [sys.executable, "manage.py", "rqworker", "--with-scheduler", "default"]
        for n in range(count):
            log = SETTINGS_DIR / f"worker-{len(self.logs)}-{n}.log"
            self.logs.append(log)
            with log.open("w") as out:
                self.processes.append(
                    subprocess.Popen(  # noqa: S603
                        command,
                        cwd=ROOT,
                        env=BENCH_ENV,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )

        def registered():
            dead = [p.pid for p in self.processes if p.poll() is not None]
            if dead:
                raise RuntimeError(f"worker(s) {dead} exited:\n{self.tail()}")
            n = len(Worker.all(connection=REDIS))
            return n >= count, f"{n} registered"

        wait_for("workers registering", registered, 60)
        return len(Worker.all(connection=REDIS))

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            # The group: the worker and any work horse it forked.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        self.processes = []

    def tail(self, lines: int = 30) -> str:
        return "\n".join(
            f"--- {log.name}\n" + "\n".join(log.read_text().splitlines()[-lines:])
            for log in self.logs
            if log.exists()
        )


def queue_idle() -> tuple[bool, str]:
    queue = Queue("default", connection=REDIS)
    waiting = queue.count
    started = StartedJobRegistry(queue=queue).count
    scheduled = ScheduledJobRegistry(queue=queue).count
    idle = waiting == 0 and started == 0 and scheduled == 0
    return idle, f"{waiting} queued, {started} running, {scheduled} scheduled"


def report_failed_rq_jobs(shown: int = 3) -> int:
    """How many tasks raised on the workers; the first few are printed."""
    registry = Queue("default", connection=REDIS).failed_job_registry
    ids = registry.get_job_ids()
    for job in RQJob.fetch_many(ids[:shown], connection=REDIS):
        if job is not None:
            error = (job.exc_info or "").strip().splitlines()[-1:] or ["?"]
            say(f"    failed RQ job {job.func_name}{job.args}: {error[0][:300]}")
    return len(ids)


def drain(timeout: float) -> float:
    """Until the queue stays empty with nothing running (twice in a row)."""
    started = time.monotonic()
    while True:
        wait_for("queue draining", queue_idle, timeout)
        time.sleep(0.5)
        if queue_idle()[0]:
            return time.monotonic() - started


# --- the network -----------------------------------------------------------------------


@dataclass
class Network:
    clinics: list
    library: ArticleLibraryPage
    carried: LibraryArticlePage
    central_editor: object  # publishes and edits library articles, reads the report
    clinic_editor: object  # edits the copies of one clinic (`editor_clinic`)
    editor_clinic: object


def build_network(n: int) -> Network:
    root = Page.get_first_root_node()
    for page in root.get_children():  # Wagtail's "Welcome" page and its catch-all Site
        page.delete()
    Site.objects.all().delete()
    library = root.add_child(instance=ArticleLibraryPage(title="Article library", slug="library"))
    provision_central_team(library)
    cta = CallToAction.objects.create(
        name="Book a consultation",
        headline="Talk to {clinic} about ketamine therapy",
        text="Our team in {city} answers your questions in confidence. Call {phone}.",
        button_label="Book a consultation",
        link_type=CallToAction.Link.BOOKING,
    )
    # The library's medical-review workflow, as the demo sets it up (it also lets the
    # central team read the Content review report).
    setup_medical_review(library)

    clinics = []
    started = time.monotonic()
    for first in range(0, n, CLINIC_BATCH):
        with transaction.atomic():
            for i in range(first, min(n, first + CLINIC_BATCH)):
                city, region = CITIES[i % len(CITIES)]
                clinics.append(
                    create_clinic(
                        title=f"Clinic {i + 1:04d}",
                        slug=f"clinic-{i + 1:04d}",
                        hostname=f"clinic-{i + 1:04d}.localhost",
                        city=city,
                        region=region,
                        phone=f"(555) 555-{i + 1:04d}",
                        email=f"hello@clinic-{i + 1:04d}.example",
                        booking_url=f"https://clinic-{i + 1:04d}.example/book",
                        default_call_to_action=cta,
                    )
                )
        if len(clinics) % 100 == 0 or len(clinics) == n:
            elapsed = time.monotonic() - started
            say(f"    clinics created: {len(clinics)}/{n} ({elapsed:.0f} s)")

    topic = Topic.objects.create(name="PTSD", slug="ptsd")
    author = Person.objects.create(name="Clinical content team", job_title="Editorial")
    reviewer = Person.objects.create(name="Dana Whitfield", credentials="MD")
    carried = library.add_child(
        instance=LibraryArticlePage(
            title="What Causes PTSD?",
            slug="what-causes-ptsd",
            summary="Trauma, genetics and biology all play a part in PTSD.",
            body=LIBRARY_BODY,
            author=author,
            about_condition="Post-traumatic stress disorder",
            focus_keyphrase="causes of PTSD",
            primary_clinic=clinics[0],
            live=False,
        )
    )
    carried.topics.add(topic)
    carried.save_revision()
    # Real roles, not a superuser: the permission checks are part of each request.
    users = get_user_model().objects
    central_editor = users.create_user("bench-central-editor", "central@example.com", None)
    # A member of the central team who is also a medical reviewer: the one role whose
    # publish of a library article goes through (and records the approval).
    central_editor.groups.add(
        Group.objects.get(name=CENTRAL_TEAM), Group.objects.get(name=MEDICAL_REVIEWERS)
    )
    ReviewerProfile.objects.create(user=central_editor, person=reviewer)
    editor_clinic = clinics[n // 2]
    clinic_editor = users.create_user("bench-clinic-editor", "clinic@example.com", None)
    clinic_editor.groups.add(Group.objects.get(name=f"{editor_clinic.title} editors"))
    return Network(clinics, library, carried, central_editor, clinic_editor, editor_clinic)


def block_id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench/sleep-after-trauma/{name}"))


# The new library article the editor publishes, block by block: (type, id, text).
NEW_ARTICLE = [
    ("heading", block_id("sleep-h1"), "Why trauma disturbs sleep"),
    (
        "paragraph",
        block_id("sleep-p1"),
        "Many people notice that their sleep changes after a frightening event. They "
        "wake in the night, find it hard to fall asleep again, or have vivid dreams that "
        "replay what happened. These changes are a common response to stress.",
    ),
    (
        "paragraph",
        block_id("sleep-p2"),
        "Researchers describe a state of heightened alertness in which the body stays "
        "ready to react long after the danger has passed. A racing heart and tense "
        "muscles at bedtime are part of that picture.",
    ),
    ("heading", block_id("sleep-h2"), "What can help"),
    (
        "paragraph",
        block_id("sleep-p3"),
        "Regular hours, a quiet and dark bedroom and less caffeine in the afternoon are "
        "simple first steps. Writing worries down before bed helps some people let go "
        "of them for the night.",
    ),
    (
        "paragraph",
        block_id("sleep-p4"),
        "If sleep problems last for weeks, talk to a clinician. The team at {clinic} in "
        "{city} can talk through the options with you; call {phone}.",
    ),
]


def edit_post_data(page: LibraryArticlePage, blocks, action: str = "action-publish") -> dict:
    """What the admin's edit form posts for a library article (as a browser would)."""
    data = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "seo_title": "",
        "search_description": "",
        "author": page.author_id or "",
        "about_condition": page.about_condition,
        "focus_keyphrase": page.focus_keyphrase,
        "primary_clinic": page.primary_clinic_id or "",
        "topics": [topic.pk for topic in page.topics.all()],
        "body-count": str(len(blocks)),
        "references-count": "0",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        action: action.removeprefix("action-"),
    }
    if page.offered_to_subscribers:  # a ticked checkbox; an unticked one is not posted
        data["offered_to_subscribers"] = "on"
    for i, (kind, pk, text) in enumerate(blocks):
        value = rich_text(f"<p>{text}</p>") if kind == "paragraph" else text
        data.update(
            {
                f"body-{i}-type": kind,
                f"body-{i}-id": pk,
                f"body-{i}-deleted": "",
                f"body-{i}-order": str(i),
                f"body-{i}-value": value,
            }
        )
    return data


def live_copies(article_id: int) -> int:
    return ClinicArticlePage.objects.filter(source_id=article_id, live=True).count()


def decisions_settled(article_id: int, since) -> tuple[bool, str]:
    live = live_copies(article_id)
    fresh = CanonicalDecision.objects.filter(
        page__source_id=article_id, page__live=True, computed_at__gte=since
    ).count()
    return live > 0 and fresh == live, f"{fresh}/{live} decisions computed"


def failed_jobs(article_id: int) -> int:
    return SyndicationJob.objects.filter(
        run__article_id=article_id, status=SyndicationJob.Status.FAILED
    ).count()


def admin_messages(client: Client, page) -> str:
    """What the admin told the editor (the messages the edit view shows next)."""
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    start = html.find('class="messages"')
    shown = re.sub(r"<[^>]+>", " ", html[start : html.find("</ul>", start)] if start >= 0 else "")
    return " ".join(shown.split()[1:]) or "(no message)"


@dataclass
class Timed:
    """One request: wall time (the figure), and this process's CPU time, the time its
    queries took and their number, which tell a slow request from a busy machine."""

    ms: float
    cpu_ms: float
    db_ms: float
    queries: int
    kb: float

    def detail(self) -> str:
        return f"cpu {self.cpu_ms:.0f} ms, db {self.db_ms:.0f} ms, {self.queries} queries"


def timed(request: Callable) -> tuple[Timed, object]:
    with CaptureQueriesContext(connection) as queries:
        cpu, started = time.process_time(), time.perf_counter()
        response = request()
        content = response.content
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    db = sum(float(query["time"]) for query in queries.captured_queries)
    return Timed(wall * 1000, cpu * 1000, db * 1000, len(queries), len(content) / 1024), response


def admin_post(client: Client, page, data, *, draft_first: bool = False) -> Timed:
    """The editor opens the edit view (and saves a draft, if `draft_first`), not timed;
    then clicks Publish (timed)."""
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    if client.get(url).status_code != 200:
        raise RuntimeError(f"the edit view of {page} did not open")
    if draft_first:
        draft = {k: v for k, v in data.items() if not k.startswith("action-")}
        if client.post(url, draft).status_code != 302:
            raise RuntimeError(f"the admin did not save a draft of {page}")
    measured, response = timed(lambda: client.post(url, data))
    if response.status_code != 302:
        raise RuntimeError(
            f"the admin did not accept the publish of {page} ({response.status_code}):\n"
            + response.content.decode()[:3000]
        )
    return measured


def measure_view(client: Client, url: str, repeats: int) -> tuple[Timed, list[int]]:
    """A warm-up request, then the median of `repeats` (3 if a request takes over 5 s)."""
    samples: list[Timed] = []
    for attempt in range(repeats + 1):
        measured, response = timed(lambda: client.get(url))
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: {response.status_code}\n{response.content[:2000]}")
        if attempt == 0:
            if measured.ms > 5000:
                repeats = min(repeats, 3)
            continue
        samples.append(measured)
        if len(samples) >= repeats:
            break

    def median(name):
        return statistics.median(getattr(sample, name) for sample in samples)

    counts = [sample.queries for sample in samples]
    median_timed = Timed(
        median("ms"), median("cpu_ms"), median("db_ms"), int(median("queries")), median("kb")
    )
    return median_timed, counts


def record(figures: dict, key: str, measured: Timed) -> None:
    figures[f"{key}_ms"] = measured.ms
    figures[f"{key}_queries"] = measured.queries
    figures[f"{key}_kb"] = measured.kb
    figures[f"{key}_detail"] = measured.detail()


# --- one network size --------------------------------------------------------------------


def bench(n: int, workers: Workers) -> dict[str, float | None]:
    timeout = ARGS.timeout or 120 + n
    figures: dict[str, float | None] = {}
    say(f"\n== {n} clinics ==")
    say(f"  {load()}")
    say(f"  database {ARGS.database} (dropped and created again), Redis {REDIS_URL} (flushed)")
    REDIS.flushdb()  # the queue, and the cache of the previous network
    recreate_database()
    started = time.monotonic()
    manage("migrate", "--noinput")
    say(f"    migrate: {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    with override_settings(TASKS=IMMEDIATE_TASKS):
        network = build_network(n)
    say(f"    network built: {n} clinics in {time.monotonic() - started:.0f} s")

    count = workers.start(WORKERS)
    say(f"  workers: {count} (rqworker --with-scheduler default; classes from settings.RQ)")

    # The article every clinic already carries, published in code; the workers fan it out.
    carried = network.carried
    since = timezone.now()
    started = time.monotonic()
    carried.get_latest_revision().publish()
    wait_for(
        f"copies of “{carried.title}” live",
        lambda: (live_copies(carried.pk) >= n, f"{live_copies(carried.pk)}/{n} live"),
        timeout,
    )
    wait_for("its canonical decisions", lambda: decisions_settled(carried.pk, since), timeout)
    drain(timeout)
    say(
        f"    “{carried.title}” carried by {live_copies(carried.pk)} clinics "
        f"({time.monotonic() - started:.0f} s through the workers)"
    )

    client = Client()
    client.force_login(network.central_editor)
    clinic_client = Client()
    clinic_client.force_login(network.clinic_editor)

    # 1. The editor publishes a new library article.
    article = network.library.add_child(
        instance=LibraryArticlePage(
            title="Sleep after trauma",
            slug="sleep-after-trauma",
            summary="Why sleep changes after a frightening event, and what helps.",
            author=carried.author,
            about_condition="Post-traumatic stress disorder",
            focus_keyphrase="sleep after trauma",
            primary_clinic=carried.primary_clinic,
            body=[
                {"type": kind, "value": f"<p>{text}</p>" if kind == "paragraph" else text, "id": i}
                for kind, i, text in NEW_ARTICLE
            ],
            live=False,
        )
    )
    article.topics.add(*carried.topics.all())
    article.save_revision()
    say("  publishing a new library article through the admin...")
    since = timezone.now()
    clicked = time.monotonic()
    record(
        figures,
        "publish_request",
        admin_post(client, article, edit_post_data(article, NEW_ARTICLE), draft_first=True),
    )
    article.refresh_from_db()
    if not article.live:
        raise RuntimeError(f"the library article is not live: {admin_messages(client, article)}")
    try:
        wait_for(
            "copies live",
            lambda: (live_copies(article.pk) >= n, f"{live_copies(article.pk)}/{n} live"),
            timeout,
        )
        figures["copies_live_s"] = time.monotonic() - clicked
    except Timeout as error:
        say(f"    TIMEOUT {error}")
        figures["copies_live_s"] = None
    try:
        wait_for("canonical decisions", lambda: decisions_settled(article.pk, since), timeout)
        figures["first_decisions_s"] = time.monotonic() - clicked
    except Timeout as error:
        say(f"    TIMEOUT {error}")
        figures["first_decisions_s"] = None
    drain(timeout)
    figures["publish_failed_jobs"] = failed_jobs(article.pk)

    # 2. One paragraph edited, published again.
    say("  editing one paragraph and publishing again...")
    edited = [
        (kind, pk, text + " Sleep usually improves as the stress eases.")
        if pk == NEW_ARTICLE[2][1]
        else (kind, pk, text)
        for kind, pk, text in NEW_ARTICLE
    ]
    article = LibraryArticlePage.objects.get(pk=article.pk)
    live_before = article.live_revision_id
    since = timezone.now()
    clicked = time.monotonic()
    record(figures, "edit_request", admin_post(client, article, edit_post_data(article, edited)))
    if LibraryArticlePage.objects.get(pk=article.pk).live_revision_id == live_before:
        raise RuntimeError(f"the edit was not published: {admin_messages(client, article)}")
    try:
        wait_for("canonical decisions", lambda: decisions_settled(article.pk, since), timeout)
        figures["decisions_settled_s"] = time.monotonic() - clicked
    except Timeout as error:
        say(f"    TIMEOUT {error}")
        figures["decisions_settled_s"] = None
    drain(timeout)
    figures["edit_failed_jobs"] = failed_jobs(article.pk)

    # 3. The admin views, with the workers idle.
    say(f"  admin views (warm-up, then the median)... {load()}")
    # The clinic's editor opens their copy; the central editor the library article and
    # the report.
    copy = ClinicArticlePage.objects.descendant_of(network.editor_clinic).get(source=carried)
    views = {
        "copy_edit": (clinic_client, reverse("wagtailadmin_pages:edit", args=[copy.pk])),
        "library_edit": (client, reverse("wagtailadmin_pages:edit", args=[carried.pk])),
        "report": (client, "/admin/reports/content-review/"),
        "matrix": (client, "/admin/reports/network-matrix/"),
    }
    for name, (viewer, url) in views.items():
        measured, counts = measure_view(viewer, url, ARGS.repeats)
        record(figures, name, measured)
        figures[f"{name}_samples"] = len(counts)
        if len(set(counts)) > 1:
            say(f"    note: {name} query counts varied: {counts}")

    figures["rq_failed"] = report_failed_rq_jobs()
    workers.stop()
    say("  workers stopped")
    return figures


# --- the report -----------------------------------------------------------------------------


@dataclass
class Figure:
    key: str
    label: str
    unit: str
    target: float | None = None  # the figure must be <= target...
    at: tuple[int, ...] | None = None  # ...at these sizes (None: at every size)
    ratio_target: float | None = None  # largest/smallest N ratio must be <= this
    same_at_sizes: bool = False  # the same value at every size


FIGURES = [
    Figure("publish_request_ms", "publish request (new library article)", "ms", 300),
    Figure("copies_live_s", "all copies live after the publish", "s", 20, (200,), 2.7),
    Figure("first_decisions_s", "its canonical decisions computed", "s"),
    Figure("edit_request_ms", "edit-and-publish request (one paragraph)", "ms", 300),
    Figure("decisions_settled_s", "canonical decisions settled after the edit", "s"),
    Figure("copy_edit_ms", "clinic copy edit view", "ms", 300, None, 1.2),
    Figure("copy_edit_queries", "clinic copy edit view", "queries", 100, same_at_sizes=True),
    Figure("library_edit_ms", "library article edit view", "ms"),
    Figure("library_edit_queries", "library article edit view", "queries"),
    Figure("report_ms", "Content review report, first page", "ms", 500, (500,)),
    Figure("report_kb", "Content review report, first page", "KB", 200, (500,)),
    Figure("matrix_ms", "Network matrix, first page", "ms", 500, (500,)),
    Figure("matrix_queries", "Network matrix, first page", "queries", same_at_sizes=True),
]


def show(value: float | None, unit: str) -> str:
    if value is None:
        return "timeout"
    if unit == "s":
        return f"{value:.1f} s"
    if unit in ("queries",):
        return f"{value:.0f} {unit}"
    return f"{value:.0f} {unit}"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def print_summary(results: dict[int, dict[str, float | None]]) -> list[str]:
    missed = []
    for n, figures in results.items():
        say(f"\n== results: {n} clinics ==")
        say(f"  {'figure':<46} {'value':>12}   {'target':<22} ")
        for figure in FIGURES:
            value = figures.get(figure.key)
            target, status = "", ""
            if figure.target is not None and (figure.at is None or n in figure.at):
                target = f"<= {show(figure.target, figure.unit)}"
                if figure.at:
                    target += f" at {', '.join(map(str, figure.at))}"
                ok = value is not None and value <= figure.target
                status = verdict(ok)
                if not ok:
                    missed.append(f"{figure.label} at {n}: {show(value, figure.unit)} ({target})")
            say(
                f"  {figure.label + ' (' + figure.unit + ')':<46} {show(value, figure.unit):>12}"
                f"   {target:<22} {status}"
            )
            detail = figures.get(figure.key.removesuffix("_ms") + "_detail")
            if figure.unit == "ms" and detail:
                say(f"  {'':<4}{detail}")
        samples = ", ".join(
            f"{name} {figures.get(f'{name}_samples', 0):.0f}"
            for name in ("copy_edit", "library_edit", "report", "matrix")
        )
        say(
            f"  (views: median of {samples} requests after a warm-up;"
            f" library edit view {figures.get('library_edit_kb', 0):.0f} KB,"
            f" copy edit view {figures.get('copy_edit_kb', 0):.0f} KB; cpu: this process,"
            f" db: its queries' time)"
        )
        say(
            f"  failed syndication jobs: publish {figures['publish_failed_jobs']:.0f},"
            f" edit {figures['edit_failed_jobs']:.0f}; failed RQ jobs {figures['rq_failed']:.0f}"
        )

    sizes = sorted(results)
    if len(sizes) < 2:
        return missed
    small, large = sizes[0], sizes[-1]
    say(f"\n== ratios: {large}/{small} clinics ==")
    for figure in FIGURES:
        a, b = results[small].get(figure.key), results[large].get(figure.key)
        ratio = b / a if a and b is not None else None
        target, status = "", ""
        if figure.ratio_target is not None and (small, large) == (200, 500):
            target = f"<= {figure.ratio_target}"
            ok = ratio is not None and ratio <= figure.ratio_target
            status = verdict(ok)
            if not ok:
                missed.append(f"{figure.label} {large}/{small} ratio: {ratio or 0:.2f} ({target})")
        if figure.same_at_sizes:
            target = "same at every size"
            ok = a is not None and a == b
            status = verdict(ok)
            if not ok:
                missed.append(f"{figure.label}: {a} at {small}, {b} at {large} (same)")
        shown = "n/a" if ratio is None else f"{ratio:.2f}"
        say(f"  {figure.label + ' (' + figure.unit + ')':<46} {shown:>12}   {target:<22} {status}")
    return missed


def main() -> int:
    sizes = ARGS.clinics
    say(f"network benchmark: {', '.join(map(str, sizes))} clinics; {WORKERS} RQ workers;")
    say("  requests: Django's test Client in this process; settings: cms.settings.production")
    say("  (RQ backend, Redis cache) on the bench's database and Redis, plain HTTP;")
    say("  a central-team editor (a medical reviewer) publishes, edits and reads the report;")
    say("  a clinic's editor opens that clinic's copy (real groups and permissions, no")
    say("  superuser)")
    REDIS.ping()
    REDIS.flushdb()
    workers = Workers()
    results: dict[int, dict[str, float | None]] = {}

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    try:
        for n in sizes:
            results[n] = bench(n, workers)
    except BaseException:
        if workers.logs:
            say("\nworker logs (tail):\n" + workers.tail())
        raise
    finally:
        workers.stop()
        REDIS.flushdb()
        if ARGS.keep_db:
            say(f"kept: database {ARGS.database}; settings and worker logs in {SETTINGS_DIR}")
        else:
            drop_database()
    missed = print_summary(results)
    say("\ntargets missed:" if missed else "\nevery target met")
    for line in missed:
        say(f"  - {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
