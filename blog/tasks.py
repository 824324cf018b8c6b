"""Background tasks (Django's tasks API; the immediate backend in dev and tests)."""

from django_tasks import task

from blog import syndication
from blog.models import LibraryArticlePage


@task()
def syndicate_library_article(article_id: int) -> dict:
    article = LibraryArticlePage.objects.get(pk=article_id)
    return syndication.syndicate(article).__dict__


@task()
def withdraw_library_article(article_id: int) -> dict:
    article = LibraryArticlePage.objects.get(pk=article_id)
    return syndication.withdraw(article).__dict__
