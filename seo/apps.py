from django.apps import AppConfig


class SeoConfig(AppConfig):
    """Search visibility: the SEO head, canonical decisions for shared articles, sitemaps."""

    name = "seo"
    verbose_name = "Search visibility"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Models can be imported only once the app registry is ready, so not at the top.
        from blog.models import ClinicArticlePage
        from seo import canonical
        from seo.panels import CanonicalSimilarityPanel, SearchAnalysisPanel

        canonical.connect_signals()
        # The blog's edit views know nothing of search visibility: its panels are added here.
        ClinicArticlePage.promote_panels += [
            CanonicalSimilarityPanel(heading="How different this copy is"),
            SearchAnalysisPanel(heading="On-page analysis"),
        ]
