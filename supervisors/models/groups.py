"""Supervision groups, their members and their assignments to institutions."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from audit_portal.core.models import Regulated
from audit_portal.rules import rules
from supervisors.models.people import Supervisor
from supervisors.models.terms import Term


class SupervisionGroup(Regulated):
    class Status(models.TextChoices):
        FORMING = "forming", gettext_lazy("Forming")
        ACTIVE = "active", pgettext_lazy("supervisors", "Active")
        DISSOLVED = "dissolved", gettext_lazy("Dissolved")

    name = models.CharField(gettext_lazy("name"), max_length=80, unique=True)
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.FORMING
    )
    created_at = models.DateTimeField(gettext_lazy("created at"), default=timezone.now)

    class Meta:
        verbose_name = gettext_lazy("supervision group")
        verbose_name_plural = gettext_lazy("supervision groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def current_memberships(self):
        return self.memberships.filter(left_on__isnull=True).select_related("supervisor")

    def composition_problems(self, on: datetime.date) -> list[str]:
        """What stands between this group and activation; empty when it may be active."""
        members = list(self.current_memberships())
        low, high = rules().supervisor_group_min, rules().supervisor_group_max
        problems = []
        if not low <= len(members) <= high:
            problems.append(
                _("A group has %(low)d to %(high)d members; this one has %(n)d.")
                % {"low": low, "high": high, "n": len(members)}
            )
        for role, label in (
            (GroupMembership.Role.LEADER, _("leader")),
            (GroupMembership.Role.DEPUTY, _("deputy leader")),
        ):
            count = sum(1 for m in members if m.role == role)
            if count != 1:
                problems.append(
                    _("A group needs exactly one %(role)s; this one has %(n)d.")
                    % {"role": label, "n": count}
                )
        active = set(
            Term.objects.filter(
                Term.active_q(on), supervisor__in=[m.supervisor for m in members]
            ).values_list("supervisor_id", flat=True)
        )
        for membership in members:
            if membership.supervisor_id not in active:
                problems.append(
                    _("%(name)s has no term running today.") % {"name": membership.supervisor}
                )
        return problems


class GroupMembership(Regulated):
    class Role(models.TextChoices):
        LEADER = "leader", gettext_lazy("Leader")
        DEPUTY = "deputy", gettext_lazy("Deputy leader")
        MEMBER = "member", gettext_lazy("Member")

    group = models.ForeignKey(
        SupervisionGroup, on_delete=models.PROTECT, related_name="memberships"
    )
    supervisor = models.ForeignKey(Supervisor, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(
        pgettext_lazy("supervisors", "role"), max_length=8, choices=Role.choices
    )
    joined_on = models.DateField(gettext_lazy("joined on"))
    left_on = models.DateField(gettext_lazy("left on"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("group membership")
        verbose_name_plural = gettext_lazy("group memberships")
        ordering = ["group", "role", "supervisor__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "supervisor"],
                condition=Q(left_on__isnull=True),
                name="supervisors_groupmembership_once_per_group",
            ),
            # Exactly one leader and one deputy: "at most one" is the database's part, "at
            # least one" is checked on activation (composition_problems).
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(left_on__isnull=True, role="leader"),
                name="supervisors_groupmembership_one_leader",
            ),
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(left_on__isnull=True, role="deputy"),
                name="supervisors_groupmembership_one_deputy",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.supervisor} ({self.get_role_display()})"


class Assignment(Regulated):
    """A group assigned to supervise an institution; grants its members object permissions."""

    group = models.ForeignKey(
        SupervisionGroup,
        verbose_name=pgettext_lazy("supervisors", "group"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    institution = models.ForeignKey(
        "inspections.Institution",
        verbose_name=gettext_lazy("institution"),
        on_delete=models.PROTECT,
        related_name="supervisor_assignments",
    )
    starts_on = models.DateField(gettext_lazy("from"))
    ends_on = models.DateField(gettext_lazy("until"), null=True, blank=True)
    end_reason = models.TextField(gettext_lazy("reason for ending"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("group assignment")
        verbose_name_plural = gettext_lazy("group assignments")
        ordering = ["institution__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "institution"],
                condition=Q(ends_on__isnull=True),
                name="supervisors_assignment_once_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} → {self.institution}"

    @staticmethod
    def active_q(day: datetime.date, prefix: str = "") -> Q:
        return Q(**{f"{prefix}starts_on__lte": day}) & (
            Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day})
        )
