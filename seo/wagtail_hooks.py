from wagtail import hooks

from seo.models import CanonicalDecision


@hooks.register("describe_matrix_copies")
def canonical_choice(copies):
    """The network matrix's cells: each copy's canonical choice (blog.matrix)."""
    decisions = CanonicalDecision.objects.filter(page__in=[c.pk for c in copies]).only(
        "page_id", "outcome", "target_id"
    )
    labels = {
        CanonicalDecision.Outcome.SELF: "Canonical: itself",
        CanonicalDecision.Outcome.OTHER: "Canonical: another clinic's copy",
        CanonicalDecision.Outcome.NOINDEX: "Kept out of search results",
    }
    return {d.page_id: labels.get(d.outcome, d.outcome) for d in decisions}
