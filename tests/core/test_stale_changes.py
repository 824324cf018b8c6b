"""Stale changes: the library edits a block a clinic replaced; the pipeline flags the
change, the clinic's dashboard lists it, the comparison shows the library's old and new
words beside the clinic's, and the clinic keeps its wording or takes the library's text,
as a logged revision. Another clinic's editor sees and changes none of it."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageLogEntry, Revision

from blog.models import BodyOverride, ClinicArticlePage, CopyFingerprint
from blog.resolution import resolve_article
from blog.stale_changes import KEEP, MERGE, TAKE
from tests.factories import UserFactory, add_override, committed, make_library_article, paragraph
from textreview.similarity import fingerprint

OLD = "Trauma is the most common risk factor for PTSD."
NEW = "Trauma is the strongest known risk factor for PTSD."
MINE = "At Nova we see trauma as the main cause of PTSD."
ARTICLE = "/blog/what-causes-ptsd/"


def user_of(clinic_name):
    return UserFactory(groups=[Group.objects.get(name=f"{clinic_name} editors")])


@pytest.fixture
def stale_copy(nova, three_rivers):
    """Nova replaced the first paragraph; then the library reworded it."""
    article = make_library_article(body=[paragraph(OLD, "b1"), paragraph("Genes too.", "b2")])
    copy = ClinicArticlePage.objects.descendant_of(nova).get(source=article)
    add_override(copy, "b1", BodyOverride.Action.REPLACE, [paragraph(MINE)])
    library = article.get_latest_revision_as_object()
    library.body = [paragraph(NEW, "b1"), paragraph("Genes too.", "b2")]
    with committed():
        library.save_revision().publish()
    return ClinicArticlePage.objects.get(pk=copy.pk)


def page_text(client, host="nova.localhost"):
    response = client.get(ARTICLE, HTTP_HOST=host)
    assert response.status_code == 200
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


def test_the_pipeline_flags_the_change_and_the_dashboard_lists_it(stale_copy, client):
    override = BodyOverride.objects.get(page=stale_copy)
    assert override.is_stale
    assert override.source_block["value"] == f"<p>{OLD}</p>"

    client.force_login(user_of("Nova Health Recovery"))
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("blog_stale_changes", args=[stale_copy.pk]) in dashboard

    client.force_login(user_of("Three Rivers Wellness"))
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("blog_stale_changes", args=[stale_copy.pk]) not in dashboard


def test_the_comparison_shows_the_librarys_old_and_new_words_beside_the_clinics(stale_copy, client):
    client.force_login(user_of("Nova Health Recovery"))
    response = client.get(reverse("blog_stale_changes", args=[stale_copy.pk]))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    change = soup.select_one('[data-stale-change="b1"]')
    comparison = change.select_one("[data-comparison]")
    removed = " ".join(d.get_text() for d in comparison.find_all("del"))
    added = " ".join(i.get_text() for i in comparison.find_all("ins"))
    assert "most common" in removed and "strongest known" in added
    assert "Trauma is the" in comparison.get_text()  # unchanged words stay plain
    assert change.select_one("[data-clinic-text]").get_text() == MINE
    # The copy's edit view links to it.
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[stale_copy.pk])).content.decode()
    assert reverse("blog_stale_changes", args=[stale_copy.pk]) in edit


def test_taking_the_librarys_text_publishes_it_and_logs_the_decision(stale_copy, client):
    user = user_of("Nova Health Recovery")
    client.force_login(user)
    assert MINE in page_text(client)
    with committed():
        response = client.post(
            reverse("blog_stale_changes", args=[stale_copy.pk]),
            {"anchor": "b1", "decision": "take"},
        )
    assert response.status_code == 302
    copy = ClinicArticlePage.objects.get(pk=stale_copy.pk)
    assert not copy.body_overrides.exists()
    assert not copy.has_unpublished_changes
    client.logout()
    text = page_text(client)
    assert NEW in text and MINE not in text

    entry = PageLogEntry.objects.get(page=copy, action=TAKE)
    assert entry.user == user
    assert entry.data["anchor"] == "b1"
    assert entry.data["revision"] == copy.source.live_revision_id


def test_a_change_remembers_the_library_revision_it_was_written_against(stale_copy, client):
    override = BodyOverride.objects.get(page=stale_copy)
    article = stale_copy.source
    first, now = article.revisions.order_by("created_at", "pk")
    assert override.source_revision_id == first.pk != article.live_revision_id == now.pk
    # The stale view names it.
    user = user_of("Nova Health Recovery")
    client.force_login(user)
    soup = BeautifulSoup(
        client.get(reverse("blog_stale_changes", args=[stale_copy.pk])).content, "html.parser"
    )
    said = soup.select_one("[data-written-against]").get_text()
    assert f"{first.created_at:%-d %B %Y}" in said
    # A decision re-stamps the change against the revision it was made on.
    with committed():
        client.post(
            reverse("blog_stale_changes", args=[stale_copy.pk]),
            {"anchor": "b1", "decision": "keep"},
        )
    assert BodyOverride.objects.get(page=stale_copy).source_revision_id == now.pk
    # A purged library revision leaves the base text and a copy that still publishes.
    Revision.objects.filter(pk=now.pk).delete()
    override = BodyOverride.objects.get(page=stale_copy)
    assert override.source_revision_id is None
    assert override.source_block["value"] == f"<p>{NEW}</p>"
    with committed():
        ClinicArticlePage.objects.get(pk=stale_copy.pk).get_latest_revision().publish()


def test_keeping_the_wording_restamps_the_change_against_the_librarys_text(stale_copy, client):
    client.force_login(user_of("Nova Health Recovery"))
    with committed():
        client.post(
            reverse("blog_stale_changes", args=[stale_copy.pk]),
            {"anchor": "b1", "decision": "keep"},
        )
    override = BodyOverride.objects.get(page=stale_copy)
    assert not override.is_stale
    assert override.source_block["value"] == f"<p>{NEW}</p>"
    assert PageLogEntry.objects.filter(page=stale_copy, action=KEEP).exists()
    client.logout()
    assert MINE in page_text(client)
    client.force_login(user_of("Nova Health Recovery"))
    page = client.get(reverse("blog_stale_changes", args=[stale_copy.pk]))
    assert b"data-no-stale-changes" in page.content
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("blog_stale_changes", args=[stale_copy.pk]) not in dashboard


def test_a_decision_on_a_copy_with_a_draft_stays_a_draft(stale_copy, client):
    user = user_of("Nova Health Recovery")
    draft = stale_copy.get_latest_revision_as_object()
    draft.title_override = "Nova's draft title"
    draft.save_revision(user=user)
    client.force_login(user)
    with committed():
        client.post(
            reverse("blog_stale_changes", args=[stale_copy.pk]),
            {"anchor": "b1", "decision": "take"},
        )
    copy = ClinicArticlePage.objects.get(pk=stale_copy.pk)
    assert copy.has_unpublished_changes
    latest = copy.get_latest_revision_as_object()
    assert latest.title_override == "Nova's draft title"  # the draft is kept
    assert not latest.body_overrides.all()
    client.logout()
    assert MINE in page_text(client)  # visitors see the live revision until it is published


def test_another_clinics_editor_can_neither_see_nor_decide(stale_copy, client):
    client.force_login(user_of("Three Rivers Wellness"))
    url = reverse("blog_stale_changes", args=[stale_copy.pk])
    response = client.get(url)
    assert response.status_code == 403
    assert MINE.encode() not in response.content and OLD.encode() not in response.content
    with committed():
        response = client.post(url, {"anchor": "b1", "decision": "take"})
    assert response.status_code == 403
    assert BodyOverride.objects.filter(page=stale_copy, is_stale=True).exists()
    assert not PageLogEntry.objects.filter(page=stale_copy, action=TAKE).exists()


def test_a_decision_on_a_change_that_is_not_stale_changes_nothing(stale_copy, client):
    client.force_login(user_of("Nova Health Recovery"))
    revisions = stale_copy.revisions.count()
    response = client.post(
        reverse("blog_stale_changes", args=[stale_copy.pk]),
        {"anchor": "b2", "decision": "take"},
        follow=True,
    )
    assert b"not stale any more" in response.content
    assert stale_copy.revisions.count() == revisions
    assert (
        client.post(
            reverse("blog_stale_changes", args=[stale_copy.pk]), {"anchor": "b1", "decision": "x"}
        ).status_code
        == 404
    )


def test_the_central_team_sees_stale_changes_across_the_network(stale_copy, client):
    from clinics.provisioning import provision_central_team
    from tests.factories import get_library

    client.force_login(UserFactory(groups=[provision_central_team(get_library())]))
    soup = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "html.parser")
    panel = soup.select_one("[id^=network-stale-changes]")
    assert panel is not None
    link = soup.find("a", href=reverse("wagtailadmin_pages:edit", args=[stale_copy.source_id]))
    assert link is not None and link.get_text() == "What Causes PTSD?"

    client.force_login(user_of("Nova Health Recovery"))
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "network-stale-changes" not in dashboard


KEPT = "Genetics may make some people more vulnerable than others."
CORRECTED = "Genetics may make some people more vulnerable than others, research suggests."


@pytest.fixture
def reworded_copy(nova):
    """Nova reworded the first sentence of a paragraph and kept the second as written;
    it applies library corrections itself (the view offers the merge)."""
    nova.library_corrections = nova.Corrections.MANUAL
    nova.save_revision().publish()
    article = make_library_article(body=[paragraph(f"Trauma is a risk factor. {KEPT}", "b1")])
    copy = ClinicArticlePage.objects.descendant_of(nova).get(source=article)
    add_override(
        copy,
        "b1",
        BodyOverride.Action.REPLACE,
        [paragraph(f"At {{clinic}}, trauma comes first. {KEPT}")],
    )
    return article, ClinicArticlePage.objects.get(pk=copy.pk)


def library_edit(article, text):
    library = article.get_latest_revision_as_object()
    library.body = [paragraph(text, "b1")]
    with committed():
        library.save_revision().publish()


def test_a_correction_to_a_kept_sentence_merges_into_the_clinics_wording(reworded_copy, client):
    article, copy = reworded_copy
    library_edit(article, f"Trauma is a risk factor. {CORRECTED}")
    client.force_login(user_of("Nova Health Recovery"))
    url = reverse("blog_stale_changes", args=[copy.pk])
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    merged = soup.select_one("[data-merged-text]").get_text()
    assert merged == f"At {{clinic}}, trauma comes first. {CORRECTED}"
    with committed():
        client.post(url, {"anchor": "b1", "decision": "merge"})
    assert PageLogEntry.objects.filter(page=copy, action=MERGE).exists()
    client.logout()
    text = page_text(client)
    assert f"At Nova Health Recovery, trauma comes first. {CORRECTED}" in text


def test_a_correction_to_a_reworded_sentence_is_a_conflict_for_the_editor(reworded_copy, client):
    article, copy = reworded_copy
    library_edit(article, f"Trauma is the strongest risk factor. {KEPT}")
    client.force_login(user_of("Nova Health Recovery"))
    url = reverse("blog_stale_changes", args=[copy.pk])
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    assert soup.select_one("[data-merged-text]") is None
    row = soup.select_one("[data-merge-conflicts] tbody tr")
    cells = [td.get_text() for td in row.find_all("td")]
    assert cells[0] == "Trauma is a risk factor."
    assert cells[1] == "Trauma is the strongest risk factor."
    assert "trauma comes first" in cells[2]
    revisions = copy.revisions.count()
    response = client.post(url, {"anchor": "b1", "decision": "merge"}, follow=True)
    assert b"cannot be merged" in response.content
    assert copy.revisions.count() == revisions


def pipeline_network(nova, three_rivers, *, correction=False):
    """Both clinics reworded a paragraph's first sentence and kept its second; Three
    Rivers publishes medical corrections at once. The library corrects the kept one."""
    three_rivers.library_corrections = three_rivers.Corrections.PUBLISH
    three_rivers.save_revision().publish()
    article = make_library_article(body=[paragraph(f"Trauma is a risk factor. {KEPT}", "b1")])
    copies = {}
    for clinic in (nova, three_rivers):
        copy = ClinicArticlePage.objects.descendant_of(clinic).get(source=article)
        add_override(
            copy,
            "b1",
            BodyOverride.Action.REPLACE,
            [paragraph(f"At {{clinic}}, trauma comes first. {KEPT}")],
        )
        copies[clinic.slug] = ClinicArticlePage.objects.get(pk=copy.pk)
    library = article.get_latest_revision_as_object()
    library.body = [paragraph(f"Trauma is a risk factor. {CORRECTED}", "b1")]
    library.medical_correction = correction
    with committed():
        library.save_revision().publish()
    return copies


def latest_words(copy) -> str:
    latest = ClinicArticlePage.objects.get(pk=copy.pk).get_latest_revision_as_object()
    return latest.body_overrides.all()[0].content.raw_data[0]["value"]


def test_the_pipeline_merges_a_correction_into_a_draft_by_default(nova, three_rivers, client):
    copies = pipeline_network(nova, three_rivers)
    for slug, host in (("nova", "nova.localhost"), ("threerivers", "threerivers.localhost")):
        copy = ClinicArticlePage.objects.get(pk=copies[slug].pk)
        # Not marked as a medical correction: a draft at both, whatever their setting.
        assert copy.has_unpublished_changes
        assert CORRECTED in latest_words(copy)
        assert "trauma comes first" in latest_words(copy)
        assert KEPT in page_text(client, host)  # visitors read the live wording meanwhile
        entry = PageLogEntry.objects.get(page=copy, action=MERGE)
        assert entry.user is None


def test_a_medical_correction_is_published_where_the_clinic_allows_it(nova, three_rivers, client):
    copies = pipeline_network(nova, three_rivers, correction=True)
    text = page_text(client, "threerivers.localhost")
    assert f"At Three Rivers Wellness, trauma comes first. {CORRECTED}" in text
    assert not ClinicArticlePage.objects.get(pk=copies["threerivers"].pk).has_unpublished_changes
    # Nova reviews merges in a draft.
    assert KEPT in page_text(client, "nova.localhost")
    assert ClinicArticlePage.objects.get(pk=copies["nova"].pk).has_unpublished_changes


def test_the_stored_fingerprint_reads_the_published_correction(nova, three_rivers):
    # What compares copies (canonical choice, similarity) reads the text visitors read.
    copies = pipeline_network(nova, three_rivers, correction=True)
    copy = ClinicArticlePage.objects.get(pk=copies["threerivers"].pk)
    live_text = resolve_article(copy).plain_text()
    assert CORRECTED in live_text
    stored = CopyFingerprint.objects.get(page=copy)
    assert bytes(stored.hashes) == fingerprint(live_text).to_bytes()[0]


def test_a_conflict_is_left_for_the_clinic(stale_copy):
    # The stale_copy fixture's library edit rewrote the sentence Nova reworded.
    copy = ClinicArticlePage.objects.get(pk=stale_copy.pk)
    assert not copy.has_unpublished_changes
    assert not PageLogEntry.objects.filter(page=copy, action=MERGE).exists()
    assert BodyOverride.objects.get(page=copy).is_stale


def test_a_clinic_editor_sees_its_drafts_waiting_and_no_other_clinics(nova, three_rivers, client):
    copies = pipeline_network(nova, three_rivers)  # a merge waits in each clinic's draft
    client.force_login(user_of("Nova Health Recovery"))
    soup = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "html.parser")
    assert soup.select_one("[id^=drafts-waiting]") is not None
    edit = reverse("wagtailadmin_pages:edit", args=[copies["nova"].pk])
    assert soup.find("a", href=edit) is not None
    other = reverse("wagtailadmin_pages:edit", args=[copies["threerivers"].pk])
    assert soup.find("a", href=other) is None


MINE_FIRST = "At {clinic}, trauma comes first."
NEW_FIRST = "Trauma is the strongest risk factor."


@pytest.fixture
def conflicting_copy(reworded_copy):
    """The library corrects both sentences: the one Nova reworded (a conflict) and the
    one it kept (a clean change)."""
    article, copy = reworded_copy
    library_edit(article, f"{NEW_FIRST} {CORRECTED}")
    return copy


def test_a_conflict_shows_the_three_texts_side_by_side_with_the_sentences_marked(
    conflicting_copy, client
):
    client.force_login(user_of("Nova Health Recovery"))
    response = client.get(reverse("blog_stale_changes", args=[conflicting_copy.pk]))
    soup = BeautifulSoup(response.content, "html.parser")
    texts = soup.select_one("[data-three-texts]")
    marks = {
        key: [m.get_text() for m in texts.select(f'[data-text="{key}"] mark[data-conflict="1"]')]
        for key in ("then", "now", "mine")
    }
    assert marks == {
        "then": ["Trauma is a risk factor."],
        "now": [NEW_FIRST],
        "mine": [MINE_FIRST],
    }
    # The kept sentence is not marked: it takes the library's change.
    assert KEPT in texts.select_one('[data-text="then"]').get_text()
    form = soup.select_one("[data-conflicts-form]")
    assert [i["value"] for i in form.select('input[name="pick_0"]')] == ["theirs", "mine", "edit"]
    assert "publish" in form.select_one('button[value="resolve"]').get_text()


def resolve(client, copy, **picks):
    url = reverse("blog_stale_changes", args=[copy.pk])
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    form = soup.select_one("[data-conflicts-form]")
    data = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    data.update(picks, decision="resolve")
    with committed():
        return client.post(url, data, follow=True)


@pytest.mark.parametrize(
    "picks, first",
    [
        ({"pick_0": "theirs"}, NEW_FIRST),
        ({"pick_0": "mine"}, "At Nova Health Recovery, trauma comes first."),
        (
            {"pick_0": "edit", "text_0": "Trauma, as we see at {clinic}, comes first & foremost."},
            "Trauma, as we see at Nova Health Recovery, comes first & foremost.",
        ),
    ],
)
def test_the_editor_picks_per_conflict_and_publishes(conflicting_copy, client, picks, first):
    user = user_of("Nova Health Recovery")
    client.force_login(user)
    response = resolve(client, conflicting_copy, **picks)
    assert b"Saved your choices for each conflict and published it" in response.content
    copy = ClinicArticlePage.objects.get(pk=conflicting_copy.pk)
    assert not copy.has_unpublished_changes
    override = copy.body_overrides.get()
    assert not override.is_stale
    entry = PageLogEntry.objects.get(page=copy, action=MERGE)
    assert entry.user == user and entry.data["conflicts"] == 1
    client.logout()
    # The pick, and the library's correction of the sentence Nova kept.
    assert f"{first} {CORRECTED}" in page_text(client)


@pytest.mark.parametrize(
    "picks, error",
    [
        ({}, "This field is required."),
        ({"pick_0": "edit", "text_0": " "}, "Write the words for this conflict"),
        ({"pick_0": "edit", "text_0": "Call {clinc}."}, "Unknown clinic token {clinc}"),
        ({"pick_0": "edit", "text_0": "Hi <script>x</script>."}, "Use only the links"),
        ({"pick_0": "edit", "text_0": "Hi <em>there."}, "Use only the links"),
    ],
)
def test_a_wrong_choice_is_a_validation_message_and_saves_nothing(
    conflicting_copy, client, picks, error
):
    client.force_login(user_of("Nova Health Recovery"))
    revisions = conflicting_copy.revisions.count()
    response = resolve(client, conflicting_copy, **picks)
    assert response.status_code == 200
    assert error.encode() in response.content
    assert b"Nothing saved yet" in response.content
    assert conflicting_copy.revisions.count() == revisions
    assert BodyOverride.objects.get(page=conflicting_copy).is_stale


def test_choices_made_on_conflicts_that_changed_meanwhile_are_refused(conflicting_copy, client):
    client.force_login(user_of("Nova Health Recovery"))
    url = reverse("blog_stale_changes", args=[conflicting_copy.pk])
    revisions = conflicting_copy.revisions.count()
    with committed():
        response = client.post(
            url,
            {"anchor": "b1", "signature": "0" * 32, "pick_0": "theirs", "decision": "resolve"},
            follow=True,
        )
    assert b"changed while you were deciding" in response.content
    assert conflicting_copy.revisions.count() == revisions


def test_without_publish_permission_the_choices_wait_in_a_draft(conflicting_copy, client):
    from wagtail.models import GroupPagePermission

    group = Group.objects.get(name="Nova Health Recovery editors")
    GroupPagePermission.objects.filter(group=group, permission__codename="publish_page").delete()
    client.force_login(user_of("Nova Health Recovery"))
    response = resolve(client, conflicting_copy, pick_0="theirs")
    assert b"in a new draft" in response.content
    copy = ClinicArticlePage.objects.get(pk=conflicting_copy.pk)
    assert copy.has_unpublished_changes
    client.logout()
    assert MINE_FIRST.replace("{clinic}", "Nova Health Recovery") in page_text(client)


def test_another_clinics_editor_cannot_see_or_decide_the_conflicts(
    conflicting_copy, three_rivers, client
):
    client.force_login(user_of("Nova Health Recovery"))
    url = reverse("blog_stale_changes", args=[conflicting_copy.pk])
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    data = {i["name"]: i["value"] for i in soup.select("[data-conflicts-form] input[type=hidden]")}
    client.force_login(user_of("Three Rivers Wellness"))
    response = client.get(url)
    assert response.status_code == 403
    assert b"trauma comes first" not in response.content
    with committed():
        response = client.post(url, {**data, "pick_0": "theirs", "decision": "resolve"})
    assert response.status_code == 403
    assert BodyOverride.objects.get(page=conflicting_copy).is_stale
    assert not PageLogEntry.objects.filter(page=conflicting_copy, action=MERGE).exists()


def states(copy) -> list[str]:
    return list(BodyOverride.objects.filter(page=copy).values_list("merge_state", flat=True))


State = BodyOverride.MergeState


def test_the_pipeline_stores_each_changes_merge_state(nova, three_rivers, client):
    copies = pipeline_network(nova, three_rivers, correction=True)
    assert states(copies["threerivers"]) == [State.APPLIED]  # merged and published
    assert states(copies["nova"]) == [State.WAITING]  # merged into a draft
    # Nova publishes its draft: the published row says the merge is applied.
    with committed():
        ClinicArticlePage.objects.get(pk=copies["nova"].pk).get_latest_revision().publish()
    assert states(copies["nova"]) == [State.APPLIED]


def test_a_conflict_is_stored_and_cleared_when_the_editor_decides(stale_copy, client):
    assert states(stale_copy) == [State.CONFLICT]
    client.force_login(user_of("Nova Health Recovery"))
    with committed():
        client.post(
            reverse("blog_stale_changes", args=[stale_copy.pk]),
            {"anchor": "b1", "decision": "keep"},
        )
    assert states(stale_copy) == [State.NONE]


def test_a_decision_waiting_in_a_draft_clears_the_live_changes_conflict(stale_copy, client):
    assert states(stale_copy) == [State.CONFLICT]
    user = user_of("Nova Health Recovery")
    draft = stale_copy.get_latest_revision_as_object()
    draft.title_override = "Nova's draft title"
    draft.save_revision(user=user)
    client.force_login(user)
    with committed():
        client.post(
            reverse("blog_stale_changes", args=[stale_copy.pk]),
            {"anchor": "b1", "decision": "keep"},
        )
    assert ClinicArticlePage.objects.get(pk=stale_copy.pk).has_unpublished_changes
    assert states(stale_copy) == [State.NONE]


def test_a_clinic_that_applies_corrections_itself_has_its_conflicts_counted(
    conflicting_copy, client
):
    assert states(conflicting_copy) == [State.CONFLICT]
    client.force_login(user_of("Nova Health Recovery"))
    soup = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "html.parser")
    counts = soup.select_one("[data-merge-counts]")
    assert counts.select_one("[data-merges-conflicts]").get_text().startswith("1 ")
    assert counts.select_one("[data-merges-applied]").get_text().startswith("0 ")


def test_the_dashboards_count_merges_applied_waiting_and_in_conflict(nova, three_rivers, client):
    pipeline_network(nova, three_rivers, correction=True)
    client.force_login(user_of("Three Rivers Wellness"))
    soup = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "html.parser")
    counts = soup.select_one("[data-merge-counts]")
    assert counts.select_one("[data-merges-applied]").get_text().startswith("1 ")
    assert counts.select_one("[data-merges-waiting]").get_text().startswith("0 ")
    client.force_login(user_of("Nova Health Recovery"))
    soup = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "html.parser")
    counts = soup.select_one("[data-merge-counts]")
    assert counts.select_one("[data-merges-applied]").get_text().startswith("0 ")
    assert counts.select_one("[data-merges-waiting]").get_text().startswith("1 ")

    from clinics.provisioning import provision_central_team
    from tests.factories import get_library

    client.force_login(UserFactory(groups=[provision_central_team(get_library())]))
    soup = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "html.parser")
    panel = soup.select_one("[id^=network-stale-changes]")
    assert panel.select_one("[data-merges-applied]").get_text() == "1"
    assert panel.select_one("[data-merges-waiting]").get_text() == "1"
    assert panel.select_one("[data-merges-conflicts]").get_text() == "0"
