"""Supervision groups: forming, activating and changing them, and their assignments to
institutions; every change brings the members' grants in step."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from audit_portal.accounts.models import User
from audit_portal.core.history import save_audited
from audit_portal.rules import rules
from inspections.models import Institution
from supervisors.models import Assignment, GroupMembership, SupervisionGroup, Supervisor
from supervisors.policies import assignment_policy, group_policy, membership_policy
from supervisors.services.common import _today
from supervisors.services.grants import _sync_grants, _sync_group


@transaction.atomic
def group_create(*, name: str, actor: User) -> SupervisionGroup:
    group_policy.require_create_for(actor)
    return save_audited(SupervisionGroup(name=name), actor=actor)


@transaction.atomic
def group_rename(
    *, group: SupervisionGroup, name: str, actor: User, reason: str
) -> SupervisionGroup:
    """Correct a group's name; its members, status and assignments are untouched."""
    group_policy.require("rename", actor, group)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    group.name = name
    return save_audited(group, actor=actor, reason=reason)


@transaction.atomic
def group_add_member(
    *,
    group: SupervisionGroup,
    supervisor: Supervisor,
    role: str,
    actor: User,
    on: datetime.date | None = None,
) -> GroupMembership:
    group_policy.require("add_member", actor, group)
    on = on or _today()
    current = list(group.current_memberships())
    if any(m.supervisor_id == supervisor.pk for m in current):
        raise ValidationError(_("%(name)s is already in the group.") % {"name": supervisor})
    if len(current) >= rules().supervisor_group_max:
        raise ValidationError(
            _("A group has at most %(n)d members.") % {"n": rules().supervisor_group_max}
        )
    if role != GroupMembership.Role.MEMBER and any(m.role == role for m in current):
        raise ValidationError(
            _("The group already has a %(role)s.")
            % {"role": GroupMembership.Role(role).label.lower()}
        )
    if supervisor.term_on(on) is None:
        raise ValidationError(_("%(name)s has no term running.") % {"name": supervisor})
    membership = save_audited(
        GroupMembership(group=group, supervisor=supervisor, role=role, joined_on=on), actor=actor
    )
    _sync_grants(supervisor)
    return membership


@transaction.atomic
def group_remove_member(
    *, membership: GroupMembership, actor: User, reason: str, on: datetime.date | None = None
) -> GroupMembership:
    membership_policy.require("remove", actor, membership)
    membership.left_on = on or _today()
    save_audited(membership, actor=actor, reason=reason)
    group = membership.group
    if group.status == SupervisionGroup.Status.ACTIVE and group.composition_problems(_today()):
        # A group that no longer meets the rules cannot stay active.
        group.status = SupervisionGroup.Status.FORMING
        save_audited(
            group, actor=actor, reason=_("Composition changed: %(reason)s") % {"reason": reason}
        )
    _sync_group(group)
    _sync_grants(membership.supervisor)
    return membership


@transaction.atomic
def group_activate(*, group: SupervisionGroup, actor: User) -> SupervisionGroup:
    group_policy.require("activate", actor, group)
    group.status = SupervisionGroup.Status.ACTIVE
    save_audited(group, actor=actor, reason=pgettext("supervisors", "Activated"))
    _sync_group(group)
    return group


@transaction.atomic
def group_assign(
    *,
    group: SupervisionGroup,
    institution: Institution,
    actor: User,
    starts_on: datetime.date | None = None,
) -> Assignment:
    group_policy.require("assign", actor, group)
    if group.assignments.filter(institution=institution, ends_on__isnull=True).exists():
        raise ValidationError(_("The group is already assigned to this institution."))
    assignment = save_audited(
        Assignment(group=group, institution=institution, starts_on=starts_on or _today()),
        actor=actor,
    )
    _sync_group(group)
    return assignment


@transaction.atomic
def assignment_end(
    *, assignment: Assignment, actor: User, reason: str, on: datetime.date | None = None
) -> Assignment:
    assignment_policy.require("end", actor, assignment)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    on = on or _today()
    # The assignment's last day is the day before ``on``: access ends on ``on``.
    assignment.ends_on = max(on - datetime.timedelta(days=1), assignment.starts_on)
    assignment.end_reason = reason.strip()
    save_audited(assignment, actor=actor, reason=reason)
    _sync_group(assignment.group)
    return assignment
