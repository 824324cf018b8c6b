from django.apps import AppConfig


class SeoConfig(AppConfig):
    """Search visibility: the SEO head, canonical decisions for shared articles, sitemaps."""

    name = "seo"
    verbose_name = "Search visibility"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from seo import canonical

        canonical.connect_signals()
