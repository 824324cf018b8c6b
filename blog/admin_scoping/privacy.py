"""A view restriction on a clinic's copy (a password, a login) takes it out of what
the other clinics' copies are compared with.

The pipeline stores each live copy's fingerprint when it is published or unpublished,
and seo recomputes the canonical decisions when a stored fingerprint changes (blog's
``copy_text_changed``). Setting or lifting a restriction is neither a publish nor an
unpublish, so here it asks for the affected copies' fingerprints to be stored again,
once the change commits: the copy itself, or every copy under a restricted page.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction

from blog import tasks
from blog.models import ClinicArticlePage


@receiver(post_save, sender=PageViewRestriction, dispatch_uid="blog-restriction-saved")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="blog-restriction-deleted")
def refresh_restricted_copies(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # the page itself is being deleted
        return
    copies = (
        ClinicArticlePage.objects.descendant_of(page, inclusive=True)
        .exclude(source=None)
        .values_list("pk", flat=True)
    )
    for pk in copies:
        transaction.on_commit(lambda pk=pk: tasks.store_copy_fingerprint.enqueue(pk))
