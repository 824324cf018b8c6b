from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog and article library"

    def ready(self):
        from blog import admin_scoping, signal_handlers  # noqa: F401
