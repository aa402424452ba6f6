from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from audit_portal.core.audit_chain import HistoryChain
from audit_portal.core.models import Regulated


class Organisation(Regulated):
    """A civil-affairs body: the city bureau, a county/district bureau, or a rescue station."""

    class Kind(models.TextChoices):
        CITY = "city", _("City civil-affairs bureau")
        COUNTY = "county", _("County/district civil-affairs bureau")
        STATION = "station", _("Rescue station")

    name = models.CharField(_("name"), max_length=120)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]
        constraints = [
            # The city bureau is the root; every other body hangs below a bureau.
            models.CheckConstraint(
                condition=(
                    Q(kind="city", parent__isnull=True)
                    | (~Q(kind="city") & Q(parent__isnull=False))
                ),
                name="accounts_organisation_parent_by_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == self.Kind.COUNTY and self.parent and self.parent.kind != self.Kind.CITY:
            raise ValidationError({"parent": _("A county bureau belongs to the city bureau.")})
        if self.kind == self.Kind.STATION and self.parent and self.parent.kind == self.Kind.STATION:
            raise ValidationError(
                {"parent": _("A rescue station belongs to a civil-affairs bureau.")}
            )
        if self.kind == self.Kind.CITY and self.parent_id:
            raise ValidationError({"parent": _("The city bureau has no parent organisation.")})

    @property
    def city(self) -> "Organisation":
        node = self
        while node.parent_id is not None:
            node = node.parent
        return node

    @property
    def county(self) -> "Organisation | None":
        """The county bureau this body belongs to, if any (a station may belong to the city)."""
        if self.kind == self.Kind.COUNTY:
            return self
        if self.kind == self.Kind.STATION and self.parent and self.parent.kind == self.Kind.COUNTY:
            return self.parent
        return None


class User(AbstractUser):
    """Every person who logs in. The role decides what they may do; the organisation (staff) or
    the bound institution (institution users) decides which records they may see."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("System administrator")
        STAFF = "staff", _("Civil-affairs staff")
        SUPERVISOR = "supervisor", _("Invited supervisor")
        INSTITUTION = "institution", _("Institution user")

    # Chinese names are written as one string; first/last name fields would only mislead.
    first_name = None
    last_name = None
    full_name = models.CharField(_("full name"), max_length=60)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    institution = models.ForeignKey(
        "inspections.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        help_text=_("Institution users only: the custody institution the account belongs to."),
    )

    objects = UserManager()
    history = HistoricalRecords(
        excluded_fields=["password", "last_login"], bases=[HistoryChain], m2m_bases=[HistoryChain]
    )

    REQUIRED_FIELDS = ["email", "full_name", "role"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            # Staff see records through their organisation, so they must have one.
            models.CheckConstraint(
                condition=~Q(role="staff") | Q(organisation__isnull=False),
                name="accounts_user_staff_has_organisation",
            ),
            # Only institution users are bound to an institution.
            models.CheckConstraint(
                condition=Q(role="institution") | Q(institution__isnull=True),
                name="accounts_user_institution_only_for_institution_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})" if self.full_name else self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN or self.is_superuser

    @property
    def is_civil_affairs_staff(self) -> bool:
        return self.role == self.Role.STAFF

    @property
    def needs_second_factor(self) -> bool:
        """Staff of every organisation and administrators (by role or by admin-site access) sign
        in with a second factor; supervisors and institution users may choose to."""
        return self.is_admin or self.is_staff or self.is_civil_affairs_staff

    @property
    def is_supervisor(self) -> bool:
        return self.role == self.Role.SUPERVISOR

    @property
    def is_institution_user(self) -> bool:
        return self.role == self.Role.INSTITUTION

    @property
    def organisation_kind(self) -> str | None:
        return self.organisation.kind if self.organisation_id else None
