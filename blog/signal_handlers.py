from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from blog.models import LibraryArticlePage
from blog.tasks import syndicate_library_article, withdraw_library_article


@receiver(page_published, sender=LibraryArticlePage)
def syndicate_on_publish(sender, instance, **kwargs):
    transaction.on_commit(lambda: syndicate_library_article.enqueue(instance.pk))


@receiver(page_unpublished, sender=LibraryArticlePage)
def withdraw_on_unpublish(sender, instance, **kwargs):
    transaction.on_commit(lambda: withdraw_library_article.enqueue(instance.pk))
