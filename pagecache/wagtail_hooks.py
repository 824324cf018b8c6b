from wagtail import hooks

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
