"""Supervisors: the people invited, their resident ID numbers (shown masked, every full display
logged) and their age in full years (周岁)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from audit_portal.core.fields import (
    BlindIndexField,
    BlindIndexValidation,
    EncryptedCharField,
    mask_middle,
)
from audit_portal.core.models import Regulated
from audit_portal.core.validators import validate_id_number
from supervisors.models.terms import Term


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Age in full years (周岁) on ``day``: the birthday itself completes the year."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    if birth_date.month == 2 and birth_date.day == 29 and day.month == 2 and day.day == 28:
        # Born on 29 February: in a common year the year completes on 28 February (as add_years).
        had_birthday = day.year % 4 != 0 or (day.year % 100 == 0 and day.year % 400 != 0)
    return day.year - birth_date.year - (0 if had_birthday else 1)


def mask_id_number(value: str) -> str:
    """``320102198001011234`` → ``3201**********1234``: region prefix and last four only."""
    return mask_middle(value)


class Supervisor(BlindIndexValidation, Regulated):
    class Gender(models.TextChoices):
        MALE = "male", gettext_lazy("Male")
        FEMALE = "female", gettext_lazy("Female")

    full_name = models.CharField(pgettext_lazy("supervisors", "name"), max_length=60)
    gender = models.CharField(gettext_lazy("gender"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(gettext_lazy("date of birth"))
    # Encrypted at rest (core.fields): unique, and found by its exact value, through its
    # blind index.
    id_number = EncryptedCharField(
        gettext_lazy("resident ID number"),
        max_length=18,
        validators=[validate_id_number],
    )
    id_number_digest = BlindIndexField(source="id_number")
    employer = models.CharField(gettext_lazy("employer"), max_length=120)
    title = models.CharField(gettext_lazy("title"), max_length=60, blank=True)
    expertise = models.CharField(gettext_lazy("expertise"), max_length=200, blank=True)
    # A private mobile number as often as an office's: personal, encrypted too (never searched).
    phone = EncryptedCharField(pgettext_lazy("supervisors", "phone"), max_length=40)
    email = models.EmailField(gettext_lazy("email"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("user account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervisor_record",
        limit_choices_to={"role": "supervisor"},
    )
    created_at = models.DateTimeField(gettext_lazy("created at"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("invited supervisor")
        verbose_name_plural = gettext_lazy("invited supervisors")
        ordering = ["full_name"]
        constraints = [
            # One record per person: the encrypted ID numbers compared through their digests.
            models.UniqueConstraint(
                fields=["id_number_digest"],
                name="supervisors_supervisor_id_number_unique",
                violation_error_code="unique",
                violation_error_message=gettext_lazy(
                    "A supervisor with this ID number is already on record."
                ),
            ),
        ]
        permissions = [
            ("view_full_id_number", gettext_lazy("Can view full resident ID numbers")),
            ("run_appointments", gettext_lazy("Can run the appointment procedure")),
            (
                "override_term_limit",
                gettext_lazy("Can override the consecutive-term limit"),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        if self.id_number:
            self.id_number = self.id_number.strip().upper()
        if self.user_id and self.user.role != "supervisor":
            raise ValidationError({"user": _("Choose an account with the supervisor role.")})
        if self.id_number and self.birth_date and len(self.id_number) == 18:
            encoded = self.id_number[6:14]
            if encoded != self.birth_date.strftime("%Y%m%d"):
                raise ValidationError(
                    {"birth_date": _("The date of birth does not match the ID number.")}
                )

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def age_on(self, day: datetime.date) -> int:
        return age_on(self.birth_date, day)

    def term_on(self, day: datetime.date) -> "Term | None":
        return self.terms.filter(Term.active_q(day)).order_by("-starts_on").first()


class IdNumberView(models.Model):
    """Every display of a full ID number: who saw whose, and when."""

    supervisor = models.ForeignKey(
        Supervisor, verbose_name=gettext_lazy("supervisor"), on_delete=models.PROTECT
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("viewer"), on_delete=models.PROTECT
    )
    viewed_at = models.DateTimeField(gettext_lazy("viewed at"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("ID number view")
        verbose_name_plural = gettext_lazy("ID number views")
        ordering = ["-viewed_at"]

    def __str__(self) -> str:
        return f"{self.viewer} → {self.supervisor} @ {self.viewed_at:%Y-%m-%d %H:%M}"
