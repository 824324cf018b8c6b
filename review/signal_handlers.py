"""Keep the stored copy reviews current: the publishing pipeline's signals (and
Wagtail's, for a clinic's own articles, which the pipeline does not follow) enqueue a
background task once the transaction commits. Connected in ``ReviewConfig.ready()``."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from blog.models import BlogIndexPage, ClinicArticlePage
from blog.syndication import copy_text_changed, run_finished
from review.tasks import refresh_near_duplicates, review_article_copies, review_copy
from review.workflow import setup_clinic_review


def on_run_finished(sender, run, **kwargs):
    article_id = run.article_id
    transaction.on_commit(lambda: review_article_copies.enqueue(article_id))


def on_copy_text_changed(sender, page, **kwargs):
    page_id = page.pk
    transaction.on_commit(lambda: review_copy.enqueue(page_id))


def on_own_article_changed(sender, instance, **kwargs):
    # A copy of a library article is followed by the pipeline (`copy_text_changed`).
    if instance.source_id is None:
        page_id = instance.pk
        transaction.on_commit(lambda: review_copy.enqueue(page_id))


def on_copy_deleted(sender, instance, **kwargs):
    # Its row goes with it (CASCADE); the other copies' near-duplicates must follow.
    if instance.source_id is not None:
        source_id = instance.source_id
        transaction.on_commit(lambda: refresh_near_duplicates.enqueue(source_id))


def on_blog_created(sender, instance, created, raw=False, **kwargs):
    # A new clinic's blog is put under "Clinic medical review" (once it is set up).
    if created and not raw:
        setup_clinic_review(instance)


def connect_signals() -> None:
    post_save.connect(on_blog_created, sender=BlogIndexPage, dispatch_uid="review-blog-created")
    run_finished.connect(on_run_finished, dispatch_uid="review-run-finished")
    copy_text_changed.connect(on_copy_text_changed, dispatch_uid="review-copy-text-changed")
    page_published.connect(
        on_own_article_changed, sender=ClinicArticlePage, dispatch_uid="review-own-published"
    )
    page_unpublished.connect(
        on_own_article_changed, sender=ClinicArticlePage, dispatch_uid="review-own-unpublished"
    )
    post_delete.connect(
        on_copy_deleted, sender=ClinicArticlePage, dispatch_uid="review-copy-deleted"
    )
