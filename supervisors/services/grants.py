"""The object permissions a group's assignment gives its members on the institution, kept in step
with the groups, their members and the supervisors' accounts."""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm

from inspections.models import Institution
from supervisors.models import Assignment, SupervisionGroup, Supervisor

# Object permissions an assignment gives each member of the group on the institution. The
# custom ones live on the institution's content type so that one guardian check answers them.
SUPERVISION_PERMISSIONS = {
    "view_institution": None,
    "take_part_in_inspection": gettext_lazy("Can take part in inspections (supervisor)"),
    "raise_issue": gettext_lazy("Can raise issues (supervisor)"),
    "verify_rectification": gettext_lazy("Can verify rectification (supervisor)"),
}


def _permissions() -> list[Permission]:
    content_type = ContentType.objects.get_for_model(Institution)
    permissions = []
    for codename, name in SUPERVISION_PERMISSIONS.items():
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type,
            codename=codename,
            defaults={"name": str(name or codename)},
        )
        permissions.append(permission)
    return permissions


def _sync_group(group: SupervisionGroup) -> None:
    for membership in group.memberships.select_related("supervisor"):
        _sync_grants(membership.supervisor)


def _sync_grants(supervisor: Supervisor) -> None:
    """Make the supervisor's guardian grants match their current group assignments.

    The grants are a standing record of *where* a supervisor works; *whether* they may work today
    (term running, undertaking accepted) is checked at request time by the selectors.
    """
    user = supervisor.user
    if user is None:
        return
    wanted = set(
        Assignment.objects.filter(
            ends_on__isnull=True,
            group__status=SupervisionGroup.Status.ACTIVE,
            group__memberships__supervisor=supervisor,
            group__memberships__left_on__isnull=True,
        ).values_list("institution_id", flat=True)
    )
    permissions = _permissions()
    content_type = ContentType.objects.get_for_model(Institution)
    held = UserObjectPermission.objects.filter(
        user=user, content_type=content_type, permission__in=permissions
    )
    held.exclude(object_pk__in=[str(pk) for pk in wanted]).delete()
    for institution in Institution.objects.filter(pk__in=wanted):
        for permission in permissions:
            assign_perm(permission, user, institution)
