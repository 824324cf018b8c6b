from wagtail import hooks
from wagtail.models import PageViewRestriction

from blog.models import ClinicArticlePage


@hooks.register("before_serve_page")
def share_the_requests_clinic(page, request, serve_args, serve_kwargs):
    """The clinic serving the request (already loaded by the page cache's lookup) is
    the article's clinic: spare the article the query that finds its owner."""
    clinic = getattr(request, "_clinic", None)
    if (
        clinic is not None
        and isinstance(page, ClinicArticlePage)
        and "clinic" not in page.__dict__
        and page.path.startswith(clinic.path)
    ):
        page.__dict__["clinic"] = clinic


def _no_restrictions():
    return PageViewRestriction.objects.none()


@hooks.register("before_serve_page")
def skip_restriction_queries_while_there_are_none(page, request, serve_args, serve_kwargs):
    """Wagtail looks for view restrictions on the page and every ancestor (two queries)
    before serving it. While no page anywhere has one (`pagecache.sites`: known per
    process, and every site is dropped when a restriction is added or removed), the
    answer is known: none."""
    facts = getattr(request, "_site_facts", None)
    if facts is not None and not facts.restrictions:
        page.get_view_restrictions = _no_restrictions
