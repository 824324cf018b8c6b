"""Background tasks (Django's tasks API; the immediate backend in dev and tests)."""

from django_tasks import task


@task()
def refresh_canonical_decisions(source_id: int) -> None:
    """Measure every live copy of one library article against the others and store
    each copy's canonical decision (quadratic in copies: kept off the request)."""
    from seo.canonical import refresh_decisions

    refresh_decisions(source_id)
