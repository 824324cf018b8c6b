from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "Content review"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Models can be imported only once the app registry is ready, so not at the top.
        from blog.models import ClinicArticlePage, LibraryArticlePage, register_review_of_record
        from review.approvals import articles_reviewed_by, review_of_record
        from review.panels import ContentReviewPanel
        from review.signal_handlers import connect_signals

        # The byline's and JSON-LD's reviewer of record: from the approvals, never typed.
        register_review_of_record(review_of_record, articles_reviewed_by)

        # Stored copy reviews follow the publishing pipeline (see review.tasks).
        connect_signals()

        # The blog's edit views know nothing of content review: its panel is added here.
        LibraryArticlePage.content_panels += [ContentReviewPanel()]
        ClinicArticlePage.content_panels += [ContentReviewPanel()]
