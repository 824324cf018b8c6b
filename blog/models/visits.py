"""When an editor signed in before this time, so the dashboard can say what is new."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class EditorVisit(models.Model):
    """An editor's last two sign-ins. Django's `last_login` is already this sign-in's
    time when anything else hears of it, so the previous one is kept here."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="editor_visit"
    )
    previous_sign_in = models.DateTimeField(null=True, blank=True)
    last_sign_in = models.DateTimeField()

    class Meta:
        verbose_name = "editor's visit"

    @classmethod
    def record_sign_in(cls, user) -> "EditorVisit":
        now = timezone.now()
        visit, created = cls.objects.get_or_create(user=user, defaults={"last_sign_in": now})
        if not created:
            visit.previous_sign_in, visit.last_sign_in = visit.last_sign_in, now
            visit.save(update_fields=["previous_sign_in", "last_sign_in"])
        return visit

    @classmethod
    def previous_sign_in_of(cls, user):
        """The sign-in before this one (None: this is the editor's first)."""
        return cls.objects.filter(user=user).values_list("previous_sign_in", flat=True).first()
