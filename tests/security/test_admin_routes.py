"""Every route the Wagtail admin registers, requested as one clinic's editor with the ids
of what they must not see: the other clinic's pages, drafts, revisions, workflows,
images, documents, redirects, site, group and editor, and the library's drafts.

Routes are read from Django's resolver under /admin/ (Wagtail's own, the project's
overrides and hooks' URLs, the admin API, and every snippet, image, document, report
and settings viewset), so a route added tomorrow is walked tomorrow. Each is requested
with GET, once per foreign id its parameters take (and once with ``?q=`` when it takes
none); the admin API's page actions are POSTed. No response may carry a marker string
(`tests.security.conftest.M`), an admin URL naming a foreign object, or a foreign
object's file; no request may change the database, or answer with a 500.
"""

import hashlib
import re
import time
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db.models import TextField
from django.db.models.functions import Cast
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.models import Collection, Revision, TaskState

from blog.models import SyndicationRun
from clinics.models import CallToAction, Person, Topic
from tests.security.conftest import M, leaks, response_text

# Tables a GET may legitimately write: the session, Wagtail's per-user profile and
# editing sessions, the search index, image renditions (a cache of resized files: the
# admin API's image listing makes thumbnails of the editor's own images).
VOLATILE = {
    "sessions.session",
    "wagtailimages.rendition",
    "axes.accesslog",  # django-axes' record of each login (the walk logs in again)
    "blog.editorvisit",  # the sign-ins the dashboard counts from (likewise)
    "wagtailusers.userprofile",
    "wagtailadmin.editingsession",
    "wagtailsearch.indexentry",
    "wagtailsearch.indexentry_fts",
}
VOLATILE_FIELDS = {"auth.user": {"last_login"}}
# Routes that may answer 500 by design.
ERROR_BY_DESIGN = {"admin/failwhale/"}
# Routes that serve a file that is no one's: the admin's icon sprite.
FILES_BY_DESIGN = {"admin/sprite/"}
PARAMETER = re.compile(r"<(?:(?P<converter>[^:>]+):)?(?P<name>[^>]+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
PAGE_ACTIONS = {
    "copy": lambda w: {"destination_page_id": w.nova_blog.pk, "recursive": False},
    "move": lambda w: {"destination_page_id": w.nova_blog.pk},
    "publish": lambda w: {},
    "unpublish": lambda w: {},
    "delete": lambda w: {},
    "convert_alias": lambda w: {},
    "create_alias": lambda w: {"destination_page_id": w.nova_blog.pk},
    "copy_for_translation": lambda w: {"locale": "fr"},
    "revert_to_page_revision": lambda w: {"revision_id": w.other_copy.latest_revision_id},
}


def admin_routes() -> list[tuple[str, URLPattern]]:
    """(route, pattern) for every URL pattern under admin/, in resolution order."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif route.startswith("admin/"):
                yield route, pattern

    return list(walk(get_resolver().url_patterns, ""))


def parameters(route: str) -> list[str]:
    return [m.group("name") for m in PARAMETER.finditer(route)] + [
        m.group("name") for m in REGEX_GROUP.finditer(route)
    ]


def fill(route: str, values: dict) -> str:
    """The URL of `route` with its parameters set (path converters and regex groups)."""
    url = PARAMETER.sub(lambda m: str(values[m.group("name")]), route)
    url = REGEX_GROUP.sub(lambda m: str(values[m.group("name")]), url)
    url = url.replace("^", "").replace("$", "").replace("\\.", ".")
    if ".*" in url:
        url = url.replace(".*", "no-such-page")
    return "/" + url


@dataclass
class Call:
    route: str
    method: str
    url: str
    data: dict | None = None


def object_kind(route: str) -> str:
    """Which kind of object a route's `pk`-like parameters name."""
    for prefix, kind in (
        ("admin/api/main/^pages", "page"),
        ("admin/api/main/^images", "image"),
        ("admin/api/main/^documents", "document"),
        ("admin/images", "image"),
        ("admin/documents", "document"),
        ("admin/snippets/clinics/calltoaction", "calltoaction"),
        ("admin/snippets/choose/clinics/calltoaction", "calltoaction"),
        ("admin/snippets/clinics/topic", "topic"),
        ("admin/snippets/choose/clinics/topic", "topic"),
        ("admin/snippets/clinics/person", "person"),
        ("admin/snippets/choose/clinics/person", "person"),
        ("admin/collections", "collection"),
        ("admin/redirects", "redirect"),
        ("admin/sites", "site"),
        ("admin/users", "user"),
        ("admin/groups", "group"),
        ("admin/workflows/tasks", "task"),
        ("admin/workflows/task_chooser", "task"),
        ("admin/workflows", "workflow"),
        ("admin/reports/publishing-runs", "run"),
    ):
        if route.startswith(prefix):
            return kind
    return "page"


class Foreign:
    """The ids Nova's editor must learn nothing through."""

    def __init__(self, world):
        w = world
        self.world = w
        self.pages = [
            w.other.pk,
            w.other_blog.pk,
            w.other_copy.pk,
            w.other_own.pk,
            w.library_draft.pk,
            w.library_revised.pk,
            *w.extra.get("other_pages", ()),  # its team and location pages
        ]
        state = w.workflow_state
        task_state = TaskState.objects.filter(workflow_state=state).first()
        other_group = w.other_editor.groups.get()
        self.by_kind = {
            "page": self.pages,
            "image": [w.other_image.pk],
            "document": [w.other_document.pk],
            "calltoaction": [CallToAction.objects.first().pk],
            "topic": [Topic.objects.first().pk],
            "person": [Person.objects.first().pk],
            "collection": [Collection.objects.get(name=w.other.title).pk],
            "redirect": [w.redirect.pk],
            "site": [w.other.get_site().pk],
            "user": [w.other_editor.pk],
            "group": [other_group.pk],
            "workflow": [state.workflow_id],
            "task": [task_state.task_id],
            "run": list(SyndicationRun.objects.values_list("pk", flat=True)[:1]),
        }
        self.shared = {
            "workflow_state_id": state.pk,
            "task_state_id": task_state.pk,
            "task_id": task_state.task_id,
            "workflow_pk": state.workflow_id,
            "action_name": "approve",
            "filter_spec": "original",
            "uploaded_file_id": 1,
            "session_id": 1,
            "uidb64": "MQ",
            "token": "set-password",
            "revision_id_a": "earliest",
            "revision_id_b": "latest",
        }

    def revision_of(self, page_id):
        revision = Revision.page_revisions.filter(object_id=str(page_id)).order_by("-pk").first()
        return revision.pk if revision else 1

    def values_for(self, route: str) -> list[dict]:
        """One set of parameter values per foreign object the route can name."""
        names = parameters(route)
        kind = object_kind(route)
        w = self.world
        sets = []
        for pk in self.by_kind.get(kind, []) or [1]:
            values = dict(self.shared)
            for name in names:
                if (
                    name in ("page_id", "parent_page_id", "page_to_move_id", "page_pk")
                    or (name in ("pk", "object_id") and kind == "page")
                    or name in ("pk", "image_id", "document_id", "doc_id", "redirect_id")
                ):
                    values[name] = pk
                elif name == "collection_id":
                    values[name] = self.by_kind["collection"][0]
                elif name == "destination_id":
                    values[name] = w.nova_blog.pk
                elif name == "revision_id":
                    values[name] = (
                        self.revision_of(pk)
                        if kind == "page"
                        else Revision.objects.exclude(base_content_type__model="page")
                        .values_list("pk", flat=True)
                        .first()
                        or 1
                    )
                elif name in ("content_type_app_name", "app_label", "app_name"):
                    values[name] = "blog"
                elif name in ("content_type_model_name", "model_name"):
                    values[name] = "clinicarticlepage"
                elif name == "action":
                    values[name] = "delete"
            sets.append(values)
        # The editor's own page with a foreign object in its other parameter.
        own = w.nova_copy.pk
        if "destination_id" in names:
            sets += [{"page_to_move_id": own, "destination_id": pk} for pk in self.pages]
        if "revision_id" in names and kind == "page":
            sets.append({"page_id": own, "revision_id": self.revision_of(w.other_copy.pk)})
        if "workflow_state_id" in names or "task_state_id" in names or "task_id" in names:
            sets.append({**self.shared, "page_id": own})
        if "pk" in names and "revision_id_a" in names and kind == "page":
            sets.append(
                {
                    "pk": own,
                    "revision_id_a": self.revision_of(w.other_copy.pk),
                    "revision_id_b": self.revision_of(w.library_draft.pk),
                }
            )
        return sets

    def calls(self, route: str) -> list[Call]:
        names = parameters(route)
        w = self.world
        if "action" in names and route.startswith("admin/bulk/"):
            return self.bulk_calls(route)
        if "action_name" in names and "api/main" in route:
            return [
                Call(route, "POST", fill(route, {"pk": pk, "action_name": action}), make(w))
                for pk in self.pages
                for action, make in PAGE_ACTIONS.items()
            ]
        if not names:
            url = fill(route, {})
            ids = "&".join(f"id={pk}" for pk in self.pages)
            calls = [Call(route, "GET", url)]
            if "api/main" in route:
                calls.append(Call(route, "GET", f"{url}?id={self.pages[2]}"))
            else:
                calls.append(Call(route, "GET", f"{url}?q=zqv&{ids}"))
            return calls
        return [Call(route, "GET", fill(route, values)) for values in self.values_for(route)]

    def bulk_calls(self, route: str) -> list[Call]:
        bulk_action_registry._scan_for_bulk_actions()
        calls = []
        for app_label, models in bulk_action_registry.actions.items():
            for model_name, actions in models.items():
                kind = {"page": "page", "image": "image", "document": "document"}.get(
                    model_name, "user" if app_label == "auth" else model_name
                )
                ids = "&".join(f"id={pk}" for pk in self.by_kind.get(kind, [1]))
                for action in actions:
                    values = {"app_label": app_label, "model_name": model_name, "action": action}
                    calls.append(Call(route, "GET", f"{fill(route, values)}?{ids}"))
        return calls


def db_state() -> dict[str, str]:
    """A hash of every table's rows, but for what a GET may write (VOLATILE)."""
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in VOLATILE or model._meta.proxy or not model._meta.managed:
            continue
        fields = [
            # JSON (StreamField) values as the database stores them: their Python values'
            # repr carries object addresses, which differ on every read.
            Cast(f.attname, TextField()) if f.get_internal_type() == "JSONField" else f.attname
            for f in model._meta.concrete_fields
            if f.attname not in VOLATILE_FIELDS.get(label, ())
        ]
        rows = [
            # PostgreSQL reads binary columns as memoryviews, whose repr is an address.
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
            for row in model._default_manager.order_by("pk").values_list(*fields)
        ]
        state[label] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return state


def foreign_urls(foreign: Foreign) -> re.Pattern:
    """Admin URLs that name a foreign object, as they appear in links and attributes.

    The live library article with a newer draft (`library_revised`) is requested like
    the foreign pages, so that its draft's title and text are looked for (markers), but
    its admin URLs are not foreign: the editor may see and choose it (the chooser links
    it), and must not see only its draft."""
    hidden = [pk for pk in foreign.pages if pk != foreign.world.library_revised.pk]
    ids = "|".join(str(pk) for pk in hidden)
    images = "|".join(str(pk) for pk in foreign.by_kind["image"])
    documents = "|".join(str(pk) for pk in foreign.by_kind["document"])
    return re.compile(
        rf"/admin/(?:pages|choose-page|api/main/pages)/(?:{ids})/"
        rf"|/admin/images/(?:{images})/|/admin/(?:images|documents)/\w+/(?:{images}|{documents})/"
        rf"|/admin/documents/edit/(?:{documents})/"
    )


def problems_with(response, call: Call, foreign_url: re.Pattern) -> list[str]:
    found = []
    body = response_text(response) if response.status_code != 302 else ""
    if response.status_code == 302:
        body = response["Location"]
    found += [f"marker {marker}" for marker in leaks(body)]
    # The requested URL may be echoed (a login redirect's `next`, a form's action).
    path = call.url.split("?")[0]
    requested_ids = set(re.findall(r"\d+", path))
    for match in foreign_url.finditer(body.replace(path, "")):
        named = set(re.findall(r"\d+", match.group(0)))
        if response.status_code == 302 and named <= requested_ids:
            # A redirect to another view of the object the request named (Wagtail's old
            # revisions URL to the history, a refused workflow action or move to the
            # edit or move view, which then check permissions): it tells nothing the
            # request did not carry. Its Location is still searched for markers.
            continue
        found.append(f"names {match.group(0)}")
    content_type = response.get("Content-Type", "")
    if (
        response.status_code == 200
        and content_type.startswith(("image/", "application/octet"))
        and call.route not in FILES_BY_DESIGN
    ):
        found.append(f"serves a file ({content_type})")
    if response.status_code >= 500 and call.route not in ERROR_BY_DESIGN:
        found.append(f"status {response.status_code}")
    return found


@pytest.fixture
def walked(world, client):
    client.force_login(world.nova_editor)
    client.raise_request_exception = False  # a 500 is counted, not raised
    return world


def test_no_admin_route_shows_a_clinic_editor_anything_of_another_clinic(walked, client, capsys):
    world = walked
    foreign = Foreign(world)
    foreign_url = foreign_urls(foreign)
    routes = admin_routes()
    calls = [call for route, _ in routes for call in foreign.calls(route)]
    before = db_state()
    started = time.monotonic()
    problems, relogins = [], 0
    for call in calls:
        if call.method == "POST":
            response = client.post(call.url, call.data, content_type="application/json")
        else:
            response = client.get(call.url)
        problems += [
            f"{call.method} {call.url}: {p}" for p in problems_with(response, call, foreign_url)
        ]
        if "_auth_user_id" not in client.session:
            relogins += 1
            client.force_login(world.nova_editor)
    elapsed = time.monotonic() - started
    after = db_state()
    changed = sorted(label for label in before if before[label] != after.get(label))
    with capsys.disabled():
        print(
            f"\nadmin routes walked: {len(routes)} URL patterns, {len(calls)} requests "
            f"({sum(c.method == 'POST' for c in calls)} POSTs) in {elapsed:.1f} s; "
            f"{len(problems)} leak(s), {len(changed)} table(s) changed; "
            f"session lost {relogins} time(s); {len(M.all())} markers"
        )
    assert problems == [], "\n".join(problems)
    assert changed == [], changed
