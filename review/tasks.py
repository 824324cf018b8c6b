"""Background tasks of the content review (the `django_tasks` API, as the publishing
pipeline's: RQ workers on Redis, or the immediate backend without ``REDIS_URL``).

Enqueued by ``review.signal_handlers`` once a transaction commits; each one stores
``review.models.CopyReview`` and ``LibraryReview`` rows (see ``review.audit``), so the
network report only reads rows."""

from django_tasks import task

from review import audit


@task()
def review_article_copies(source_id: int) -> int:
    """After a fan-out run: review the library article's own text, every live copy of
    it again, and their near-duplicates; what is no longer live loses its row."""
    audit.store_library_review(source_id)
    return audit.store_article_reviews(source_id)


@task()
def review_copy(page_id: int) -> bool:
    """After one copy's text changed (a clinic's own publish or unpublish): its review,
    and its library article's near-duplicates."""
    return audit.store_copy_review(page_id)


@task()
def refresh_near_duplicates(source_id: int) -> int:
    """After a copy was deleted: the near-duplicates of its library article's copies."""
    return audit.store_near_duplicates(source_id)
