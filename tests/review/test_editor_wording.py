"""What editors read in the admin (issue 12, item 6): workflow e-mails, the page search's
header, the revisions' comparison, plurals, the confirmation of a workflow action taken
from the dashboard, the content review report and the library's listing."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from wagtail.models import WorkflowState

from blog.admin_pages import LIBRARY_NOTE
from blog.blocks import DEFAULT_CALL_TO_ACTION
from blog.models import ClinicArticlePage, LibraryArticlePage
from blog.panels import side_by_side
from clinics.provisioning import CENTRAL_TEAM, provision_central_team
from review.audit import network_report
from review.management.commands.content_audit import render_text
from review.models import LibraryReview
from review.wagtail_hooks import error_findings
from review.workflow import setup_medical_review
from tests.factories import (
    CallToActionFactory,
    UserFactory,
    add_override,
    approve,
    committed,
    get_library,
    make_library_article,
    medical_reviewer,
    paragraph,
)

CURE = "Ketamine therapy cures PTSD."
TRAUMA = (
    "Trauma can come in many forms, such as physical, emotional, or sexual abuse, exposure "
    "to war, or experiencing a natural disaster, and each of them can leave lasting marks."
)


@pytest.fixture
def library(nova):
    library = get_library()
    provision_central_team(library)
    setup_medical_review(library)
    return library


@pytest.fixture
def central_editor(library):
    return UserFactory(groups=[Group.objects.get(name=CENTRAL_TEAM)])


@pytest.fixture
def reviewer(library):
    return medical_reviewer()


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def submitted(central_editor, title="Ketamine and PTSD"):
    page = make_library_article(title, body=[paragraph("Ketamine may help.")], publish=False)
    page = LibraryArticlePage.objects.get(pk=page.pk)
    with committed():
        state = page.get_workflow().start(page, central_editor)
    state.refresh_from_db()
    return page, state


def approve_url(page, state, **params):
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(page.pk, "approve", state.current_task_state.pk),
    )
    return url + ("?next=" + params["next"] if "next" in params else "")


# --- workflow e-mails ----------------------------------------------------------------------


def test_the_approval_email_of_a_library_article_names_its_admin_page(
    client, central_editor, reviewer
):
    page, state = submitted(central_editor)
    client.force_login(reviewer)
    with committed():
        client.post(approve_url(page, state))
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    [email] = [m for m in mail.outbox if central_editor.email in m.to and "in workflow" in m.body]
    assert "None" not in email.body
    assert f"http://testserver/admin/pages/{page.pk}/edit/" in email.body
    assert "no public page of its own" in email.body


def test_the_approval_email_of_a_clinic_copy_links_its_public_page(client, library, nova):
    source = make_library_article("Sleep", body=[paragraph("Sleep helps.", "s1")])
    copy = ClinicArticlePage.objects.get(source=source)
    editor = UserFactory(groups=[Group.objects.get(name="Nova Health Recovery editors")])
    add_override(copy, "s1", "replace", [("paragraph", f"<p>{CURE}</p>")])
    copy = ClinicArticlePage.objects.get(pk=copy.pk)
    with committed():
        state = copy.get_workflow().start(copy, editor)
    state.refresh_from_db()
    client.force_login(medical_reviewer("Ann Other"))
    with committed():
        client.post(approve_url(copy, state))
    [email] = [m for m in mail.outbox if editor.email in m.to and "in workflow" in m.body]
    assert "You can view the page here: http://nova.localhost/blog/sleep/" in email.body


# --- the page search ---------------------------------------------------------------------------


def test_the_page_search_counts_pages(admin_client, library):
    make_library_article("Unmistakable heading")  # and Nova's copy of it
    response = admin_client.get(reverse("wagtailadmin_pages:search"), {"q": "Unmistakable"})
    text = text_of(response)
    assert "Title 1-2 of 2 pages Parent" in text
    assert "None" not in text


# --- the revisions' comparison -------------------------------------------------------------------


def compare(client, page):
    revisions = list(page.revisions.order_by("pk").values_list("pk", flat=True))
    url = reverse(
        "wagtailadmin_pages:revisions_compare", args=(page.pk, revisions[0], revisions[-1])
    )
    response = client.get(url)
    assert response.status_code == 200
    return text_of(response)


def test_an_empty_call_to_action_block_reads_as_each_clinic_s_own(admin_client, library):
    cta = {"type": "call_to_action", "value": {"call_to_action": None}, "id": "cta"}
    page = make_library_article("With a block", body=[paragraph("Text.", "p1"), cta])
    page = LibraryArticlePage.objects.get(pk=page.pk)
    page.body = [paragraph("Text, edited.", "p1"), cta]
    page.save_revision()
    text = compare(admin_client, page)
    assert "edited" in text.split("Body:", 1)[1]
    assert DEFAULT_CALL_TO_ACTION in text
    assert "None" not in text.split("Body:", 1)[1]


def test_an_unchosen_call_to_action_field_says_which_is_shown(admin_client, library, nova):
    source = make_library_article("Chosen later")
    copy = ClinicArticlePage.objects.get(source=source)
    copy.call_to_action = CallToActionFactory(name="Call us today")
    copy.save_revision()
    text = compare(admin_client, copy)
    assert (
        "Call to action: Not chosen: the article topic's call-to-action, or the clinic's "
        "default Call us today"
    ) in text
    assert "None" not in text.split("Call to action:", 1)[1]


# --- plurals ---------------------------------------------------------------------------------


def test_counts_are_pluralised():
    assert error_findings(1) == "1 error-level finding"
    assert error_findings(2) == "2 error-level findings"


def test_the_side_by_side_view_shows_an_added_block_as_its_own_line(library, nova):
    source = make_library_article("Added", body=[paragraph("One.", "a1")])
    copy = ClinicArticlePage.objects.get(source=source)
    add_override(copy, "a1", "insert_after", [("paragraph", "<p>Ours.</p>")])
    copy = ClinicArticlePage.objects.get(pk=copy.pk)
    rows = side_by_side(list(source.body.raw_data), list(copy.body_overrides.all()))
    assert [(r.state_label, r.library_text, r.clinic_text) for r in rows] == [
        ("From the library", "One.", ""),
        ("Only on this clinic's site", "", "Ours."),
    ]


# --- a workflow action from the dashboard ----------------------------------------------------


def test_approving_from_the_dashboard_says_so(client, central_editor, reviewer):
    page, state = submitted(central_editor)
    client.force_login(reviewer)
    with committed():
        response = client.post(approve_url(page, state, next="/admin/"))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    [message] = [str(m).strip() for m in get_messages(response.wsgi_request)]
    assert message == "“Ketamine and PTSD” was approved at “Medical claims review” and published."


def test_requesting_changes_from_the_dashboard_says_so(client, central_editor, reviewer):
    page, state = submitted(central_editor)
    client.force_login(reviewer)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(page.pk, "reject", state.current_task_state.pk),
    )
    with committed():
        response = client.post(url + "?next=/admin/", {"comment": "Cite a source."})
    messages = [str(m).strip() for m in get_messages(response.wsgi_request)]
    assert messages == [
        "Changes were requested on “Ketamine and PTSD” at “Medical claims review”: "
        "whoever submitted it is told to make them."
    ]


# --- the content review report ---------------------------------------------------------------


def reviewed(title, *texts):
    page = make_library_article(title, body=[paragraph(t) for t in texts], publish=False)
    approve(page, publish=True)
    return LibraryArticlePage.objects.get(pk=page.pk)


def test_the_report_names_itself_and_lists_the_library_s_own_findings(
    client, central_editor, reviewer, nova
):
    cured = reviewed("Ketamine claims", CURE)
    reviewed("Careful", TRAUMA)
    review = LibraryReview.objects.get(page=cured)
    assert review.error_count == 1 and review.findings[0]["rule"] == "claims.cure"

    for user in (central_editor, reviewer):
        client.force_login(user)
        response = client.get(reverse("content_review"))
        assert [item["label"] for item in response.context["breadcrumbs_items"]] == [
            "Home",
            "Content review",
        ]
        html = response.content.decode()
        library = html.split("data-library-findings", 1)[1].split("</table>", 1)[0]
        assert "Ketamine claims" in library and CURE in library and "Careful" not in library
        edit = reverse("wagtailadmin_pages:edit", args=(cured.pk,))
        assert f'href="{edit}"' in library
        assert client.get(edit).status_code == 200

    report = network_report()
    assert [row["title"] for row in report["findings_in_library"]] == ["Ketamine claims"]
    assert "“Ketamine claims”: 1 error" in render_text(report)


def test_unpublishing_a_library_article_drops_its_review(central_editor, reviewer, nova):
    cured = reviewed("Ketamine claims", CURE)
    with committed():
        cured.unpublish()
    assert not LibraryReview.objects.filter(page=cured).exists()


def test_every_link_in_the_report_opens_for_its_readers(client, central_editor, reviewer, nova):
    cured = reviewed("Ketamine claims", CURE)
    copy = ClinicArticlePage.objects.get(source=cured)
    for user in (central_editor, reviewer):
        client.force_login(user)
        html = client.get(reverse("content_review")).content.decode()
        report = html.split("live clinic copies reviewed", 1)[1]
        links = set(re.findall(r'<a[^>]+href="([^"#?]+)"', report))
        assert copy.get_full_url() in links
        for link in links:
            if link.startswith("http://nova.localhost"):
                path = link.removeprefix("http://nova.localhost")
                assert client.get(path, HTTP_HOST="nova.localhost").status_code == 200, link
            elif link.startswith("/admin/"):
                assert client.get(link).status_code == 200, (user, link)


# --- the library's listing -------------------------------------------------------------------


def test_the_library_listing_says_it_has_no_site_on_purpose(client, central_editor, library):
    make_library_article("Listed")
    client.force_login(central_editor)
    response = client.get(reverse("wagtailadmin_explore", args=(library.pk,)))
    assert response.status_code == 200
    text = text_of(response)
    assert LIBRARY_NOTE in text
    assert "There is no site record" not in text and "no site set up" not in text
    assert "Listed" in text
