"""The person in care (DOMAIN "Residents"): who they are as far as known, where they were placed,
under which agreement, when they came and how they left.

The ID number is encrypted at rest and shown masked; a full display is logged (``ResidentIdView``
and the security log). The dates the rules derive from the admission (the day the stay becomes
long) are stored by the services, so lists sort and filter on them in SQL.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from audit_portal.core.fields import (
    BlindIndexField,
    BlindIndexValidation,
    EncryptedCharField,
    EncryptedTextField,
    mask_middle,
)
from audit_portal.core.models import Regulated
from audit_portal.core.validators import validate_id_number
from audit_portal.rules import rules
from inspections.dates import add_months
from inspections.models import ResidentCategory

# Under this age (in years, from the estimated birth year) a resident is a minor whatever the
# category says: the follow-up visits after a return home are owed for every minor (seed 003).
ADULT_AGE = 18


def long_stay_day(admitted_on: datetime.date) -> datetime.date:
    """The first day the stay counts as long, by the area's rule: "over" N months (超过, the
    day the months complete excluded) or N "full" months (满, that day included)."""
    completed = add_months(admitted_on, rules().long_stay_months)
    if rules().long_stay_counting == "full":
        return completed
    return completed + datetime.timedelta(days=1)


class Resident(BlindIndexValidation, Regulated):
    class Sex(models.TextChoices):
        MALE = "male", gettext_lazy("Male")
        FEMALE = "female", gettext_lazy("Female")
        UNKNOWN = "unknown", pgettext_lazy("sex", "Unknown")

    class Identity(models.TextChoices):
        UNKNOWN = "unknown", pgettext_lazy("identity", "Unknown")
        CLAIMED = "claimed", gettext_lazy("Claimed by the resident")
        VERIFIED = "verified", gettext_lazy("Verified")

    class Discharge(models.TextChoices):
        RETURNED_HOME = "returned_home", gettext_lazy("Returned home")
        TRANSFERRED = "transferred", gettext_lazy("Transferred")
        SETTLED = "settled", gettext_lazy("Settled")
        DIED = "died", gettext_lazy("Died")
        MISSING = "missing", pgettext_lazy("discharge", "Missing")
        OTHER = "other", pgettext_lazy("discharge", "Other")

    name = models.CharField(pgettext_lazy("resident", "name"), max_length=60)
    # A person who cannot give a name is recorded under one the station gives (e.g. 无名氏).
    name_is_provisional = models.BooleanField(gettext_lazy("provisional name"), default=False)
    sex = models.CharField(gettext_lazy("sex"), max_length=8, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(
        gettext_lazy("estimated year of birth"), null=True, blank=True
    )
    category = models.CharField(
        gettext_lazy("category"), max_length=20, choices=ResidentCategory.choices
    )
    identity_status = models.CharField(
        gettext_lazy("identity"), max_length=10, choices=Identity.choices, default=Identity.UNKNOWN
    )
    id_number = EncryptedCharField(
        gettext_lazy("resident ID number"),
        max_length=18,
        blank=True,
        validators=[validate_id_number],
    )
    id_number_digest = BlindIndexField(source="id_number")
    health_notes = EncryptedTextField(gettext_lazy("health notes"), blank=True)
    station = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=gettext_lazy("placing station"),
        on_delete=models.PROTECT,
        related_name="residents_placed",
        limit_choices_to={"kind": "station"},
    )
    institution = models.ForeignKey(
        "inspections.Institution",
        verbose_name=gettext_lazy("institution"),
        on_delete=models.PROTECT,
        # Not "residents": other apps annotate institutions with a count of that name.
        related_name="resident_records",
    )
    agreement = models.ForeignKey(
        "inspections.CustodyAgreement",
        verbose_name=gettext_lazy("custody agreement"),
        on_delete=models.PROTECT,
        related_name="resident_records",
    )
    admitted_at = models.DateTimeField(gettext_lazy("admitted at"))
    # Set by the services from the admission and the rules (``long_stay_day``).
    long_stay_on = models.DateField(gettext_lazy("long stay from"))
    discharged_at = models.DateTimeField(gettext_lazy("discharged at"), null=True, blank=True)
    discharge_kind = models.CharField(
        gettext_lazy("discharge"), max_length=16, choices=Discharge.choices, blank=True
    )
    discharge_note = models.CharField(gettext_lazy("discharge note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(gettext_lazy("created at"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("resident")
        verbose_name_plural = pgettext_lazy("residents app", "residents")
        ordering = ["-admitted_at"]
        permissions = [
            ("view_full_id_number_resident", gettext_lazy("Can view residents' full ID numbers")),
            ("care_resident", gettext_lazy("Can record residents' care and discharge")),
            ("place_resident", gettext_lazy("Can admit residents and record their search")),
        ]
        indexes = [
            # An institution's residents in care, newest first (the list, the capacity check).
            models.Index(
                fields=["agreement", "-admitted_at"],
                condition=Q(discharged_at__isnull=True),
                name="residents_in_care_idx",
            ),
            models.Index(fields=["institution", "-admitted_at"], name="residents_institution_idx"),
            # The station's residents, newest first.
            models.Index(fields=["station", "-admitted_at"], name="residents_station_idx"),
            # "Long stays": residents in care whose stay is long on a day.
            models.Index(
                fields=["long_stay_on"],
                condition=Q(discharged_at__isnull=True),
                name="residents_long_stay_idx",
            ),
            # Names on record, for the publication check (``core.disclosure``).
            models.Index(fields=["name"], name="residents_name_idx"),
        ]
        constraints = [
            # One person in care once at a time: the ID numbers compared through their digests.
            models.UniqueConstraint(
                fields=["id_number_digest"],
                condition=Q(discharged_at__isnull=True) & ~Q(id_number_digest=""),
                name="residents_resident_id_number_in_care_unique",
                violation_error_code="unique",
                violation_error_message=gettext_lazy(
                    "A resident with this ID number is already in care."
                ),
            ),
            # A discharge says how, and only a discharge does.
            models.CheckConstraint(
                condition=Q(discharged_at__isnull=True, discharge_kind="")
                | (Q(discharged_at__isnull=False) & ~Q(discharge_kind="")),
                name="residents_resident_discharge_kind_with_date",
            ),
            models.CheckConstraint(
                condition=Q(discharged_at__isnull=True)
                | Q(discharged_at__gte=models.F("admitted_at")),
                name="residents_resident_discharge_after_admission",
            ),
            # Verified means a number is on record.
            models.CheckConstraint(
                condition=~Q(identity_status="verified") | ~Q(id_number_digest=""),
                name="residents_resident_verified_has_id_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.id_number:
            self.id_number = self.id_number.strip().upper()
        if self.identity_status == self.Identity.VERIFIED and not self.id_number:
            raise ValidationError({"id_number": _("A verified identity needs the ID number.")})
        if self.birth_year and not 1900 <= self.birth_year <= timezone.localdate().year:
            raise ValidationError({"birth_year": _("Enter a plausible year of birth.")})

    @property
    def masked_id_number(self) -> str:
        return mask_middle(self.id_number) if self.id_number else ""

    @property
    def in_care(self) -> bool:
        return self.discharged_at is None

    def is_minor_on(self, day: datetime.date) -> bool:
        if self.category == ResidentCategory.MINORS:
            return True
        return self.birth_year is not None and day.year - self.birth_year < ADULT_AGE

    def is_long_stay(self, on: datetime.date) -> bool:
        return self.in_care and on >= self.long_stay_on

    def days_in_care(self, on: datetime.date) -> int:
        end = timezone.localdate(self.discharged_at) if self.discharged_at else on
        return (end - timezone.localdate(self.admitted_at)).days


class ResidentIdView(models.Model):
    """Every display of a resident's full ID number: who saw whose, and when (the security log
    notes it too, with the viewer's address)."""

    resident = models.ForeignKey(
        Resident, verbose_name=gettext_lazy("resident"), on_delete=models.PROTECT
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("viewer"), on_delete=models.PROTECT
    )
    viewed_at = models.DateTimeField(gettext_lazy("viewed at"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("resident ID number view")
        verbose_name_plural = gettext_lazy("resident ID number views")
        ordering = ["-viewed_at"]

    def __str__(self) -> str:
        return f"{self.viewer} → {self.resident_id} @ {self.viewed_at:%Y-%m-%d %H:%M}"


class ResidentReadRequest(models.Model):
    """A supervisor's logged read of one resident's record (where the area allows it, by
    ``rules().supervisor_resident_read``): who read whose, when and why. Kept, never changed."""

    resident = models.ForeignKey(
        Resident, verbose_name=gettext_lazy("resident"), on_delete=models.PROTECT
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("reader"), on_delete=models.PROTECT
    )
    reason = models.CharField(gettext_lazy("reason for reading"), max_length=500)
    read_at = models.DateTimeField(gettext_lazy("read at"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("resident record read")
        verbose_name_plural = gettext_lazy("resident record reads")
        ordering = ["-read_at"]
        indexes = [
            # A resident's readers, newest first (the record's page and any audit of it).
            models.Index(fields=["resident", "-read_at"], name="residents_read_resident_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="residents_residentreadrequest_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reader} → {self.resident_id} @ {self.read_at:%Y-%m-%d %H:%M}"
