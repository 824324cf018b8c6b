from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from blog.models import ClinicArticlePage, LibraryArticlePage, SyndicationRun
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
