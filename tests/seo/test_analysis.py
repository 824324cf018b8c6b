"""On-page SEO analysis of each clinic's copy, shown in its edit view."""

from django.urls import reverse

from blog.models import ClinicArticlePage
from blog.resolution import resolve_article
from seo.analysis import seo_findings_for_copy
from tests.factories import heading, make_library_article, paragraph


def rules_for(copy) -> set[str]:
    return {f.rule for f in seo_findings_for_copy(copy, resolve_article(copy))}


def test_the_keyphrase_and_city_are_looked_for_in_each_copy(nova, three_rivers):
    article = make_library_article(
        title="What causes PTSD?",
        slug="what-causes-ptsd",
        summary="The causes of PTSD, explained.",
        body=[
            paragraph("Trauma is one of the causes of PTSD.", "p1"),
            heading("Treatment", "h1"),
            paragraph("Ketamine therapy may help.", "p2"),
        ],
        focus_keyphrase="causes of PTSD",
        focus_with_city=True,
    )
    nova_copy = ClinicArticlePage.objects.descendant_of(nova).get(source=article)
    rules = rules_for(nova_copy)
    # Everywhere: "What causes PTSD?" and "what-causes-ptsd" say "causes of PTSD" in
    # another word order, which counts.
    assert not {r for r in rules if r.startswith("seo.keyphrase-missing")}
    assert "seo.city-missing-title" in rules  # "Portland" is in neither

    nova_copy.title_override = "Weather in Portland"
    nova_copy.save_revision().publish()
    nova_copy = ClinicArticlePage.objects.get(pk=nova_copy.pk)
    rules = rules_for(nova_copy)
    assert "seo.keyphrase-missing-title" in rules
    assert "seo.city-missing-title" not in rules

    nova_copy.title_override = "The causes of PTSD in Portland"
    nova_copy.save_revision().publish()
    nova_copy = ClinicArticlePage.objects.get(pk=nova_copy.pk)
    rules = rules_for(nova_copy)
    assert "seo.keyphrase-missing-title" not in rules
    assert "seo.city-missing-title" not in rules
    # Three Rivers did not change its title: its own copy still lacks its city there.
    assert "seo.city-missing-title" in rules_for(
        ClinicArticlePage.objects.descendant_of(three_rivers).get(source=article)
    )


def test_without_a_keyphrase_there_is_no_seo_analysis(nova):
    article = make_library_article(body=[paragraph("Text.", "p1")])
    assert rules_for(ClinicArticlePage.objects.get(source=article)) == set()


def test_the_edit_view_panel_shows_the_seo_findings(admin_client, nova):
    article = make_library_article(
        title="Sleep", body=[paragraph("Rest well.", "p1")], focus_keyphrase="insomnia"
    )
    copy = ClinicArticlePage.objects.get(source=article)
    page = admin_client.get(reverse("wagtailadmin_pages:edit", args=[copy.pk])).content.decode()
    assert "seo.keyphrase-missing-title" in page
    assert "insomnia" in page
