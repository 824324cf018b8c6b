"""Background tasks (the `django_tasks` API; see cms/settings for the backend)."""

from django_tasks import task


@task()
def refresh_canonical_decisions(source_id: int) -> None:
    """Measure every live copy of one library article against the others and store
    each copy's canonical decision."""
    # The task is enqueued by seo.canonical, which this module must not import at load.
    from seo.canonical import refresh_decisions

    refresh_decisions(source_id)
