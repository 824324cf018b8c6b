from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index
from wagtail.search.tasks import insert_or_update_object_task
from wagtail.signals import page_published, page_unpublished

from blog.models import ClinicArticlePage, EditorVisit, LibraryArticlePage, SyndicationRun
from blog.syndication import in_job, request_run
from blog.tasks import store_copy_fingerprint


@receiver(page_published, sender=LibraryArticlePage)
def syndicate_on_publish(sender, instance, **kwargs):
    request_run(instance, SyndicationRun.Kind.PUBLISH)


@receiver(page_unpublished, sender=LibraryArticlePage)
def withdraw_on_unpublish(sender, instance, **kwargs):
    request_run(instance, SyndicationRun.Kind.WITHDRAW)


@receiver(page_published, sender=ClinicArticlePage)
@receiver(page_unpublished, sender=ClinicArticlePage)
def fingerprint_on_change(sender, instance, **kwargs):
    # A job stores the fingerprints of the copies it publishes itself.
    if instance.source_id and not in_job():
        transaction.on_commit(lambda: store_copy_fingerprint.enqueue(instance.pk))


@receiver(post_save, sender=PageViewRestriction, dispatch_uid="blog-restriction-saved")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="blog-restriction-deleted")
def fingerprint_on_privacy_change(sender, instance, **kwargs):
    # A password or login takes a copy out of what other copies are compared with
    # (`syndication.store_fingerprint`); it is neither a publish nor an unpublish, so
    # the copies under the restricted page are fingerprinted again after the commit.
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # the page itself is being deleted
        return
    copies = (
        ClinicArticlePage.objects.descendant_of(page, inclusive=True)
        .exclude(source=None)
        .values_list("pk", flat=True)
    )
    for pk in copies:
        transaction.on_commit(lambda pk=pk: store_copy_fingerprint.enqueue(pk))


@receiver(post_save, sender=ClinicArticlePage)
def index_copy_on_save(sender, instance, raw=False, **kwargs):
    # As Wagtail's own handler does, except in a publishing job, which indexes the copy
    # once when it is done with it (`syndication.sync_clinic`), and after the commit:
    # the copy's text includes its changes, which are saved after the page's own row.
    if not raw and not in_job():
        pk = str(instance.pk)
        transaction.on_commit(
            lambda: insert_or_update_object_task.enqueue("blog", "clinicarticlepage", pk)
        )


@receiver(post_delete, sender=ClinicArticlePage)
def unindex_copy_on_delete(sender, instance, **kwargs):
    index.remove_object(instance)


@receiver(user_logged_in)
def remember_the_previous_sign_in(sender, user, **kwargs):
    EditorVisit.record_sign_in(user)
