from wagtail.models import Site

from clinics.models import ClinicHomePage


def clinic(request):
    """The clinic whose domain serves this request, for theming every template."""
    if not hasattr(request, "_clinic"):
        site = Site.find_for_request(request)
        request._clinic = (
            ClinicHomePage.objects.filter(pk=site.root_page_id).first() if site else None
        )
    return {"clinic": request._clinic}
