from clinics.models import ClinicHomePage


def clinic(request):
    """The clinic whose domain serves this request, for theming every template."""
    return {"clinic": ClinicHomePage.for_request(request)}
