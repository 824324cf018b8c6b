"""Measured SEO and accessibility audit of both demo clinics, offline (`make audit`).

Builds the demo in its own SQLite file (audit/audit.sqlite3), serves it as `make demo`
does (gunicorn, DEBUG off, WhiteNoise, page cache) on 127.0.0.1:$AUDIT_PORT, and checks
one page of each public template (`blog.demo_pages`: home, blog index, article, topic,
team, team member, shared person, location, search and 404) of nova.localhost and
threerivers.localhost with:

- Lighthouse (npm `lighthouse`, Debian's chromium through CHROME_PATH): SEO,
  Accessibility, Best Practices, Performance;
- the W3C Nu Html Checker (npm `vnu-jar`, run with java);
- axe-core (npm `axe-core`'s axe.min.js, injected with Playwright into Debian's chromium
  at 390 and 1280 px; every rule axe runs by default, best practices included);
- extruct (JSON-LD), every @type and property checked against schema.org's vocabulary
  as npm `schema-dts` ships it;
- the sitemaps.org 0.9 XSD (npm `sitemap`'s schema/sitemap.xsd) with xmlschema;
- protego for robots.txt;
- uniqueness of titles and descriptions per clinic, one h1, canonical, img alt.

Prints one table (with the element Lighthouse measured as the Largest Contentful Paint)
and exits 1 if a target is missed. Needs the npm packages in
audit/node_modules (the Makefile installs them) and never downloads a browser.
"""

# ruff: noqa: S603, S607  (the audit runs fixed local commands: java, node, manage.py)
from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from blog.demo_pages import DEMO_PAGES as PAGES

ROOT = Path(__file__).resolve().parent.parent
AUDIT = ROOT / "audit"
REPORTS = AUDIT / "reports"
NODE_MODULES = AUDIT / "node_modules"
DB = AUDIT / "audit.sqlite3"
PORT = int(os.environ.get("AUDIT_PORT", "8765"))
PY = sys.executable
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
HOSTS = ["nova.localhost", "threerivers.localhost"]
# Search results are kept out of search engines on purpose (noindex): Lighthouse's SEO
# score for them leaves out the one audit that checks a page may be indexed.
SKIP_AUDITS = {"search": "is-crawlable"}
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu "
    '--host-resolver-rules="MAP *.localhost 127.0.0.1" '
    "--disable-background-networking --disable-component-update --disable-sync "
    "--no-first-run --disable-dev-shm-usage"
)
TARGETS = {"seo": 100, "accessibility": 100, "best-practices": 95, "performance": 95}
AXE_WIDTHS = (390, 1280)
ARTICLE_WEBPAGE_FIELDS = [
    "about",
    "author",
    "reviewedBy",
    "lastReviewed",
    "datePublished",
    "dateModified",
    "citation",
    "mainEntity",
    "breadcrumb",
]
BLOGPOSTING_FIELDS = ["headline", "image", "datePublished", "dateModified", "author"]

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "cms.settings.audit",
    "PORT": str(PORT),
    "DATABASE_URL": f"sqlite:///{DB}",
    "CHROME_PATH": CHROME,
    "LOG_LEVEL": "WARNING",
}

failures: list[str] = []


def fail(message: str) -> None:
    failures.append(message)


# --- the server ------------------------------------------------------------------------


def build_demo() -> None:
    AUDIT.mkdir(exist_ok=True)
    DB.unlink(missing_ok=True)
    manage = [PY, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0", "--noinput"], env=ENV, check=True, cwd=ROOT)
    subprocess.run([*manage, "load_demo"], env=ENV, check=True, cwd=ROOT, capture_output=True)
    # The demo's Sites say port 8000; the audit serves on its own port.
    script = f"from wagtail.models import Site; Site.objects.update(port={PORT})"
    subprocess.run([*manage, "shell", "-c", script], env=ENV, check=True, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=ENV, check=True, cwd=ROOT)


def start_server() -> subprocess.Popen:
    """gunicorn as `make demo` runs it without Redis: one worker with threads, so the
    in-memory page cache is the one every request sees."""
    log = (AUDIT / "server.log").open("wb")
    gunicorn = str(Path(PY).with_name("gunicorn"))
    command = [gunicorn, "cms.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "1"]
    server = subprocess.Popen(
        [*command, "--threads", "8"], env=ENV, cwd=ROOT, stdout=log, stderr=log
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if fetch(HOSTS[0], "/robots.txt")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"The audit server did not start on port {PORT}: see {AUDIT / 'server.log'}.")


class NotFoundMirror(ThreadingHTTPServer):
    """Lighthouse refuses to score a document answered with 4xx. This forwards every
    request to the audit server unchanged, except that the 404 page's status becomes
    200, so Lighthouse scores exactly the body and assets visitors of a 404 get."""

    def __init__(self):
        super().__init__(("127.0.0.1", PORT + 1), self.Handler)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            host = self.headers.get("Host", "").split(":")[0]
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            connection.request("GET", self.path, headers={"Host": f"{host}:{PORT}"})
            response = connection.getresponse()
            body = response.read()
            status = 200 if self.path == PAGES["404"] else response.status
            self.send_response(status)
            for key, value in response.getheaders():
                if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            connection.close()

        def log_message(self, *args):
            pass


def fetch(host: str, path: str) -> tuple[int, dict, str]:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    connection.request("GET", path, headers={"Host": f"{host}:{PORT}"})
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    headers = {k.lower(): v for k, v in response.getheaders()}
    connection.close()
    return response.status, headers, body


def url(host: str, path: str) -> str:
    return f"http://{host}:{PORT}{path}"


# --- checks --------------------------------------------------------------------------


def lighthouse(host: str, name: str, path: str) -> dict[str, int | None]:
    out = REPORTS / f"lighthouse-{host.split('.')[0]}-{name}.json"
    cli = NODE_MODULES / "lighthouse" / "cli" / "index.js"
    page_url = url(host, path)
    if name == "404":
        page_url = f"http://{host}:{PORT + 1}{path}"  # through NotFoundMirror
    command = [
        "node",
        str(cli),
        page_url,
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=performance,accessibility,best-practices,seo",
        "--form-factor=mobile",
    ]
    if name in SKIP_AUDITS:
        command.append(f"--skip-audits={SKIP_AUDITS[name]}")
    for _attempt in range(3):  # a cold chromium sometimes misses the first navigation
        out.unlink(missing_ok=True)
        subprocess.run(command, env=ENV, cwd=ROOT, capture_output=True, timeout=240)
        if not out.exists():
            continue
        report = json.loads(out.read_text())
        code = (report.get("runtimeError") or {}).get("code")
        if code in (None, "ERRORED_DOCUMENT_REQUEST"):
            break
    else:
        return {**dict.fromkeys(TARGETS), "_failed": [], "_runtime_error": "no report"}
    scores = {}
    for key in TARGETS:
        score = (report.get("categories", {}).get(key) or {}).get("score")
        scores[key] = None if score is None else round(score * 100)
    audits = report.get("audits", {})
    failed = [
        f"{key}:{ref['id']}"
        for key in TARGETS
        for ref in (report.get("categories", {}).get(key) or {}).get("auditRefs", [])
        if ref.get("weight")
        and (audits.get(ref["id"], {}).get("score") is not None)
        and audits[ref["id"]]["score"] < 1
    ]
    scores["_failed"] = failed
    scores["_runtime_error"] = (report.get("runtimeError") or {}).get("code")
    scores["_lcp"] = lcp_element(audits)
    return scores


def lcp_element(audits: dict) -> str:
    """The tag of the element Lighthouse measured as the Largest Contentful Paint."""
    details = (audits.get("largest-contentful-paint-element") or {}).get("details") or {}
    for table in details.get("items", []):
        for item in table.get("items", []):
            snippet = (item.get("node") or {}).get("snippet", "")
            if match := re.match(r"<([a-z0-9]+)", snippet):
                return match.group(1)
    return "?"


def axe(pages: list[tuple[str, str, str]]) -> dict[tuple[str, str], list[str]]:
    """axe-core's violations on each page, at each of AXE_WIDTHS: "rule-id (n nodes, width)".

    axe.min.js is added to the page by Playwright with the page's CSP bypassed (the
    public CSP allows no script but the site's own); nothing else about the page changes.
    """
    from playwright.sync_api import sync_playwright

    source = (NODE_MODULES / "axe-core" / "axe.min.js").read_text()
    found: dict[tuple[str, str], list[str]] = {(host, name): [] for host, name, _ in pages}
    args = ["--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP *.localhost 127.0.0.1"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROME, args=args)
        for width in AXE_WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
            page = context.new_page()
            for host, name, path in pages:
                page.goto(url(host, path), wait_until="load")
                page.add_script_tag(content=source)
                result = page.evaluate("() => axe.run(document)")
                found[(host, name)] += [
                    f"{v['id']} ({len(v['nodes'])} nodes, {width} px)" for v in result["violations"]
                ]
            context.close()
        browser.close()
    return found


def nu_checker(files: list[Path]) -> dict[str, list[str]]:
    jar = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    result = subprocess.run(
        ["java", "-jar", str(jar), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors: dict[str, list[str]] = {str(f): [] for f in files}
    for message in messages:
        if message.get("type") == "error" or message.get("subType") == "fatal":
            name = message.get("url", "").removeprefix("file:")
            errors.setdefault(name, []).append(message.get("message", ""))
    return errors


def schema_vocabulary() -> tuple[set[str], set[str]]:
    text = (NODE_MODULES / "schema-dts" / "dist" / "schema.d.ts").read_text()
    types = set(re.findall(r'"@type": "([A-Za-z0-9]+)"', text))
    properties = set(re.findall(r'"([A-Za-z][A-Za-z0-9]*)"\?:', text))
    # Day-of-week values are enumeration members (e.g. https://schema.org/Monday).
    types |= set(re.findall(r'"(?:https://schema\.org/)([A-Za-z]+)"', text))
    return types, properties


def check_jsonld(html: str, page_url: str, vocabulary) -> tuple[list[dict], list[str]]:
    import extruct

    types, properties = vocabulary
    data = extruct.extract(html, base_url=page_url, syntaxes=["json-ld"], uniform=False)
    problems = []
    graph = []
    for item in data["json-ld"]:
        graph.extend(item.get("@graph", [item]))
        if item.get("@context") not in ("https://schema.org", "http://schema.org"):
            problems.append(f"@context {item.get('@context')!r}")

    def walk(node):
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            kinds = node.get("@type")
            for kind in kinds if isinstance(kinds, list) else [kinds] if kinds else []:
                if kind not in types:
                    problems.append(f"unknown type {kind}")
            for key, value in node.items():
                if not key.startswith("@") and key not in properties:
                    problems.append(f"unknown property {key}")
                walk(value)
        elif isinstance(node, str) and node.startswith("https://schema.org/"):
            term = node.removeprefix("https://schema.org/")
            if term not in types:
                problems.append(f"unknown enumeration {term}")

    walk(graph)
    return graph, problems


def check_article_graph(graph: list[dict]) -> list[str]:
    by_type = {node.get("@type"): node for node in graph}
    missing = []
    for kind in ("WebSite", "MedicalClinic", "MedicalWebPage", "BlogPosting", "BreadcrumbList"):
        if kind not in by_type:
            missing.append(kind)
    page = by_type.get("MedicalWebPage", {})
    missing += [f"MedicalWebPage.{f}" for f in ARTICLE_WEBPAGE_FIELDS if not page.get(f)]
    if page.get("about", {}).get("@type") != "MedicalCondition":
        missing.append("MedicalWebPage.about as MedicalCondition")
    reviewer = page.get("reviewedBy") or {}
    if not (reviewer.get("hasCredential") or reviewer.get("honorificSuffix")):
        missing.append("reviewedBy credentials")
    posting = by_type.get("BlogPosting", {})
    missing += [f"BlogPosting.{f}" for f in BLOGPOSTING_FIELDS if not posting.get(f)]
    if not all(a.get("url") for a in posting.get("author", []) if isinstance(a, dict)):
        missing.append("BlogPosting.author.url")
    clinic = by_type.get("MedicalClinic", {})
    for field in ("name", "address", "telephone", "openingHoursSpecification", "url", "logo"):
        if not clinic.get(field):
            missing.append(f"MedicalClinic.{field}")
    ids = {node.get("@id") for node in graph}
    for ref in ("mainEntity", "breadcrumb", "isPartOf"):
        target = (page.get(ref) or {}).get("@id")
        if target not in ids:
            missing.append(f"MedicalWebPage.{ref} → {target}")
    return missing


def expected_sitemap_urls() -> dict[str, set[str]]:
    """Every live, indexable page of each clinic's Site, straight from the database."""
    os.environ.update({k: ENV[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from wagtail.models import Site

    from blog.models import ClinicArticlePage
    from clinics.models import Person
    from seo.models import CanonicalDecision

    expected = {}
    for site in Site.objects.all():
        urls = set()
        root = site.root_page.get_full_url()
        # The routes: every shared person's page, and each topic with a live article here.
        urls |= {f"{root}people/{slug}/" for slug in Person.objects.values_list("slug", flat=True)}
        for page in site.root_page.get_descendants(inclusive=True).live().public().specific():
            if isinstance(page, ClinicArticlePage):
                topics = page.source.topics.all() if page.source_id else []
                blog = page.get_parent().get_full_url()
                urls |= {f"{blog}topics/{topic.slug}/" for topic in topics}
                decision = CanonicalDecision.objects.filter(page=page).first()
                if page.canonical_policy == "noindex" or (decision and decision.outcome != "self"):
                    continue
            urls.add(page.get_full_url())
        expected[site.hostname] = urls
    return expected


def check_sitemap(host: str, expected: set[str]) -> tuple[list[str], list[str]]:
    import xmlschema
    from lxml import etree

    status, _, body = fetch(host, "/sitemap.xml")
    problems = []
    if status != 200:
        return [f"sitemap status {status}"], []
    schema = xmlschema.XMLSchema(str(NODE_MODULES / "sitemap" / "schema" / "sitemap.xsd"))
    errors = list(schema.iter_errors(body))
    problems += [f"XSD: {e.reason}" for e in errors[:3]]
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in etree.fromstring(body.encode()).findall("s:url/s:loc", namespace)]
    if set(locs) != expected:
        problems.append(
            f"sitemap lists {sorted(set(locs) - expected)} extra, {sorted(expected - set(locs))} "
            "missing"
        )
    if len(locs) != len(set(locs)):
        problems.append("duplicate <loc>")
    return problems, locs


def check_robots(host: str, locs: list[str]) -> list[str]:
    from protego import Protego

    status, headers, body = fetch(host, "/robots.txt")
    if status != 200 or not headers.get("content-type", "").startswith("text/plain"):
        return [f"robots.txt status {status} {headers.get('content-type')}"]
    robots = Protego.parse(body)
    problems = []
    if url(host, "/sitemap.xml") not in list(robots.sitemaps):
        problems.append("robots.txt does not name the sitemap")
    for loc in locs:
        for agent in ("*", "Googlebot", "Bingbot"):
            if not robots.can_fetch(loc, agent):
                problems.append(f"{agent} may not fetch {loc}")
    if robots.can_fetch(url(host, "/admin/"), "*"):
        problems.append("/admin/ is not disallowed")
    return problems


def check_page_html(html: str) -> dict:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(strip=True) if soup.title else ""
    description = soup.find("meta", attrs={"name": "description"})
    canonical = soup.find("link", rel="canonical")
    return {
        "title": title,
        "description": description.get("content", "") if description else "",
        "h1": len(soup.find_all("h1")),
        "canonical": canonical.get("href") if canonical else "",
        "img_without_alt": sum(1 for img in soup.find_all("img") if img.get("alt") is None),
        "lang": soup.html.get("lang") if soup.html else "",
    }


# --- the run ----------------------------------------------------------------------------


def main() -> int:
    if shutil.which("java") is None or not Path(CHROME).exists():
        raise SystemExit("The audit needs java and chromium (apt-get install chromium java).")
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "html").mkdir(exist_ok=True)
    print(f"Building the demo in {DB.relative_to(ROOT)} and serving it on 127.0.0.1:{PORT} …")
    build_demo()
    server = start_server()
    mirror = NotFoundMirror()
    threading.Thread(target=mirror.serve_forever, daemon=True).start()
    try:
        return run_checks()
    finally:
        mirror.shutdown()
        server.terminate()
        server.wait(timeout=10)


def page_path(host: str, name: str) -> str:
    """A page's path on `host`; a team member's is read from the clinic's team page."""
    if PAGES[name] is not None:
        return PAGES[name]
    _, _, html = fetch(host, PAGES["team"])
    match = re.search(r'href="(/team/[a-z0-9-]+/)"', html)
    if match is None:
        fail(f"{host}: no team member linked from {PAGES['team']}")
        return PAGES["team"]
    return match.group(1)


def run_checks() -> int:
    vocabulary = schema_vocabulary()
    expected = expected_sitemap_urls()
    rows = []
    files = []
    per_clinic: dict[str, list[dict]] = {}
    for host in HOSTS:
        for name in PAGES:
            path = page_path(host, name)
            status, _, html = fetch(host, path)
            want = 404 if name == "404" else 200
            if status != want:
                fail(f"{host}{path}: HTTP {status}, expected {want}")
            html_file = REPORTS / "html" / f"{host.split('.')[0]}-{name}.html"
            html_file.write_text(html)
            files.append(html_file)
            facts = check_page_html(html)
            facts.update(host=host, name=name, path=path)
            graph, problems = check_jsonld(html, url(host, path), vocabulary)
            facts["jsonld_nodes"] = len(graph)
            facts["jsonld_problems"] = problems
            if name == "article":
                facts["jsonld_problems"] += [f"missing {m}" for m in check_article_graph(graph)]
            elif name != "404" and not graph:
                facts["jsonld_problems"].append("no JSON-LD")
            facts["lighthouse"] = lighthouse(host, name, path)
            per_clinic.setdefault(host, []).append(facts)
            rows.append(facts)

    nu = nu_checker(files)
    for facts, html_file in zip(rows, files, strict=True):
        facts["nu_errors"] = nu.get(str(html_file), [])
    violations = axe([(f["host"], f["name"], f["path"]) for f in rows])
    for facts in rows:
        facts["axe"] = violations[(facts["host"], facts["name"])]

    sitemap_rows = {}
    for host in HOSTS:
        problems, locs = check_sitemap(host, expected[host])
        robots = check_robots(host, locs)
        status, headers, feed = fetch(host, "/feed/")
        feed_ok = status == 200 and "<feed" in feed and "</entry>" in feed
        fav_status = fetch(host, "/favicon.svg")[0]
        sitemap_rows[host] = (len(locs), problems, robots, feed_ok, fav_status)

    # --- print ---------------------------------------------------------------------
    print()
    header = f"{'page':<28} {'SEO':>4} {'A11y':>4} {'BP':>4} {'Perf':>4} {'Nu':>3} {'axe':>4} "
    header += f"{'h1':>3} {'LD':>3} {'alt':>4} {'LCP':>7}  canonical"
    print(header)
    print("-" * len(header))
    for facts in rows:
        lh = facts["lighthouse"]
        label = f"{facts['host'].split('.')[0]} {facts['name']}"

        def score(key, lh=lh):
            return "err" if lh.get(key) is None else str(lh[key])

        print(
            f"{label:<28} {score('seo'):>4} {score('accessibility'):>4} "
            f"{score('best-practices'):>4} {score('performance'):>4} "
            f"{len(facts['nu_errors']):>3} {len(facts['axe']):>4} {facts['h1']:>3} "
            f"{'ok' if not facts['jsonld_problems'] else 'ERR':>3} "
            f"{facts['img_without_alt']:>4} {lh.get('_lcp', '?'):>7}  {facts['canonical'] or '-'}"
        )
        is_404 = facts["name"] == "404"
        for key, target in TARGETS.items():
            value = lh.get(key)
            if value is None:
                fail(f"{label}: Lighthouse {key} not measured ({lh.get('_runtime_error')})")
            elif value < target:
                fail(f"{label}: Lighthouse {key} {value} < {target} ({', '.join(lh['_failed'])})")
        if facts["nu_errors"]:
            fail(f"{label}: Nu errors: {facts['nu_errors'][:3]}")
        if facts["axe"]:
            fail(f"{label}: axe violations: {facts['axe']}")
        if facts["h1"] != 1:
            fail(f"{label}: {facts['h1']} h1 elements")
        if facts["img_without_alt"]:
            fail(f"{label}: {facts['img_without_alt']} img without alt")
        if not facts["canonical"] and not is_404:
            fail(f"{label}: no canonical link")
        if facts["jsonld_problems"]:
            fail(f"{label}: JSON-LD: {facts['jsonld_problems'][:5]}")
        if facts["lang"] != "en":
            fail(f"{label}: html lang {facts['lang']!r}")

    print()
    for host, clinic_rows in per_clinic.items():
        titles = [r["title"] for r in clinic_rows]
        descriptions = [r["description"] for r in clinic_rows]
        unique = len(set(titles)) == len(titles) and len(set(descriptions)) == len(descriptions)
        if not unique:
            fail(f"{host}: titles or descriptions repeat: {titles} {descriptions}")
        count, sitemap_problems, robots_problems, feed_ok, fav = sitemap_rows[host]
        print(
            f"{host}: sitemap {count} URLs, XSD and contents "
            f"{sitemap_problems or 'ok'}; robots.txt "
            f"{robots_problems or 'ok'}; feed {'ok' if feed_ok else 'ERR'}"
            f"; favicon {fav}; titles/descriptions unique: {'yes' if unique else 'NO'}"
        )
        for problem in sitemap_problems + robots_problems:
            fail(f"{host}: {problem}")
        if not feed_ok:
            fail(f"{host}: feed")
        if fav != 200:
            fail(f"{host}: favicon {fav}")

    print()
    print("The 404 pages answer 404; Lighthouse refuses to score a 4xx document, so it scores")
    print(f"their body and assets through a mirror on :{PORT + 1} that answers 200.")
    print()
    if failures:
        print(f"{len(failures)} target(s) missed:")
        for message in failures:
            print(f"  - {message}")
        return 1
    print("Every target met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
