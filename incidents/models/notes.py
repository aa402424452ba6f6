"""Staff notes on an incident: acknowledgements, comments and the closure."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy, pgettext_lazy

from audit_portal.core.models import Regulated
from incidents.models.incidents import Incident


class Note(Regulated):
    """Staff acknowledgement or comment on an incident."""

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "ack", gettext_lazy("Acknowledged")
        COMMENT = "comment", gettext_lazy("Comment")
        CLOSURE = "closure", pgettext_lazy("incident", "Closed")

    incident = models.ForeignKey(
        Incident,
        verbose_name=gettext_lazy("incident"),
        on_delete=models.PROTECT,
        related_name="notes",
    )
    kind = models.CharField(gettext_lazy("kind"), max_length=8, choices=Kind.choices)
    text = models.TextField(gettext_lazy("text"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=gettext_lazy("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(gettext_lazy("at"))

    class Meta:
        verbose_name = gettext_lazy("staff note")
        verbose_name_plural = gettext_lazy("staff notes")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="comment") | ~Q(text=""), name="incidents_note_comment_has_text"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.author}"
