"""The network matrix's bulk actions: carry an article at ticked clinics, and take the
library's text wherever a clinic's stale change kept the library's words. Each is a
publishing run the workers do clinic by clinic; only the central team may start one."""

from django.contrib.auth.models import Group

from blog.models import BodyOverride, ClinicArticlePage, SyndicationRun
from tests.core.test_matrix import URL, central, network  # noqa: F401 (fixtures)
from tests.factories import UserFactory, add_override, committed, paragraph

REPLACE = BodyOverride.Action.REPLACE


def test_carrying_at_a_ticked_clinic_creates_its_copy(central, network):  # noqa: F811
    article, _, _, manual = network
    assert not ClinicArticlePage.objects.descendant_of(manual).exists()
    with committed():
        response = central.post(URL, {"carry": [f"{manual.pk}:{article.pk}"]})
    assert response.status_code == 302
    run = SyndicationRun.objects.get(kind=SyndicationRun.Kind.CARRY)
    assert list(run.jobs.values_list("clinic_id", "status")) == [(manual.pk, "done")]
    copy = ClinicArticlePage.objects.descendant_of(manual).get(source=article)
    assert copy.source_id == article.pk
    page = central.get(URL).content.decode()
    assert f'data-copy="{copy.pk}"' in page


def test_taking_the_librarys_text_where_the_clinic_kept_its_words(
    central,  # noqa: F811
    network,  # noqa: F811
    nova,
):
    article, nova_copy, tr_copy, _ = network
    nova.library_corrections = nova.Corrections.MANUAL
    nova.save_revision().publish()
    # Nova pressed "Write this clinic's version" and kept the library's words.
    nova_copy = ClinicArticlePage.objects.get(pk=nova_copy.pk)
    add_override(nova_copy, "b1", REPLACE, [paragraph("Trauma matters a great deal.")])
    library = article.get_latest_revision_as_object()
    library.body = [paragraph("Trauma matters most.", "b1")]
    with committed():
        library.save_revision().publish()
    assert BodyOverride.objects.filter(page=nova_copy, is_stale=True).exists()

    with committed():
        response = central.post(URL, {"take": str(article.pk)})
    assert response.status_code == 302
    run = SyndicationRun.objects.get(kind=SyndicationRun.Kind.TAKE)
    outcomes = dict(run.jobs.values_list("clinic_id", "outcome"))
    assert outcomes[nova.pk] == "text taken: 1"
    latest = ClinicArticlePage.objects.get(pk=nova_copy.pk).get_latest_revision_as_object()
    assert not [o for o in latest.body_overrides.all() if o.anchor == "b1"]
    # Three Rivers wrote its own words: they stay, whatever the library did.
    tr_latest = ClinicArticlePage.objects.get(pk=tr_copy.pk).get_latest_revision_as_object()
    [kept] = tr_latest.body_overrides.all()
    assert "Our own words." in kept.content.raw_data[0]["value"]


def test_only_the_central_team_may_start_a_bulk_action(client, network, nova):  # noqa: F811
    article, _, _, manual = network
    client.force_login(UserFactory(groups=[Group.objects.get(name="Nova Health Recovery editors")]))
    assert client.post(URL, {"carry": [f"{manual.pk}:{article.pk}"]}).status_code == 403
    assert client.post(URL, {"take": str(article.pk)}).status_code == 403
    assert not SyndicationRun.objects.filter(kind__in=["carry", "take"]).exists()


def test_a_carry_of_nothing_or_of_an_unpublished_article_starts_no_run(central, network):  # noqa: F811
    article, _, _, manual = network
    assert central.post(URL, {"carry": ["x:y"]}).status_code == 302
    assert central.post(URL, {"take": "999999"}).status_code == 302
    assert not SyndicationRun.objects.filter(kind__in=["carry", "take"]).exists()
