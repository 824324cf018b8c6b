from django import forms
from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from review import audit

REPORT_PERMISSION = "review.view_network_report"


class ReportFilterForm(forms.Form):
    clinic = forms.CharField(
        label="Clinic",
        required=False,
        max_length=100,
        help_text="Part of the clinic's name (filters the clinics' copies).",
    )
    severity = forms.ChoiceField(
        label="Findings",
        required=False,
        choices=[
            ("", "Every live article and copy"),
            ("error", "Those with errors (errors only)"),
            ("warning", "Those with errors or warnings"),
        ],
    )


class NetworkReportView(WagtailAdminTemplateMixin, TemplateView):
    """The network's content report in the admin (what `content_audit` prints): the
    library articles with findings in their own text, and one page of stored copy
    reviews (``review.audit``), filtered by clinic and severity. Nothing is resolved or
    compared in the request."""

    page_title = "Content review"
    header_icon = "doc-full"
    template_name = "review/network_report.html"
    paginate_by = 25
    page_kwarg = "p"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(REPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ReportFilterForm(self.request.GET)
        form.is_valid()  # an invalid choice is ignored; the other filter still applies
        clinic = (form.cleaned_data.get("clinic") or "").strip()
        severity = form.cleaned_data.get("severity") or ""
        reviews = audit.filter_reviews(audit.stored_reviews(), clinic=clinic, severity=severity)
        paginator = WagtailPaginator(reviews, self.paginate_by)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        library, library_total = audit.library_rows(severity=severity)
        context.update(
            {
                "summary": audit.network_summary(),
                "overdue_reviews": audit.overdue_articles(),
                "library_rows": library,
                "library_total": library_total,
                "form": form,
                "is_filtering": bool(clinic or severity),
                "severity": severity,
                "paginator": paginator,
                "page_obj": page,
                "elided_page_range": paginator.get_elided_page_range(page.number),
                "groups": audit.report_page(
                    page.object_list, request=self.request, severity=severity
                ),
            }
        )
        return context
