from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """Caches anonymous visitors' pages; nothing imports this app (it listens)."""

    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from pagecache import signal_handlers

        signal_handlers.connect()
