from django.apps import AppConfig


class CmsConfig(AppConfig):
    """Project-wide pieces: the SEO head, canonical decisions, per-domain files."""

    name = "cms"
    label = "cms"
    verbose_name = "Search visibility"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms import canonical

        canonical.connect_signals()
