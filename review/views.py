from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from review.audit import network_report

REPORT_PERMISSION = "review.view_network_report"


class NetworkReportView(WagtailAdminTemplateMixin, TemplateView):
    """The network's content report in the admin (what `content_audit` prints)."""

    page_title = "Content review"
    header_icon = "doc-full"
    template_name = "review/network_report.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(REPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = network_report()
        return context
