"""Supervisors' records: creating and correcting them, moving their grants with their account, and
the logged display of a full ID number."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from guardian.models import UserObjectPermission

from audit_portal.accounts.models import User
from audit_portal.core.history import save_audited
from audit_portal.security.events import record
from audit_portal.security.models import SecurityEvent
from inspections.models import Institution
from supervisors.models import IdNumberView, Supervisor
from supervisors.policies import supervisor_policy
from supervisors.services.grants import _permissions, _sync_grants

SUPERVISOR_FIELDS = (
    "full_name",
    "gender",
    "birth_date",
    "id_number",
    "employer",
    "title",
    "expertise",
    "phone",
    "email",
    "user",
)


@transaction.atomic
def supervisor_create(*, actor: User, reason: str = "", **fields) -> Supervisor:
    supervisor_policy.require_create_for(actor)
    supervisor = Supervisor(**{name: fields[name] for name in SUPERVISOR_FIELDS if name in fields})
    return save_audited(supervisor, actor=actor, reason=reason)


@transaction.atomic
def supervisor_update(*, supervisor: Supervisor, actor: User, reason: str, **fields) -> Supervisor:
    supervisor_policy.require("change", actor, supervisor)
    previous_user_id = supervisor.user_id
    for name, value in fields.items():
        if name not in SUPERVISOR_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        setattr(supervisor, name, value)
    save_audited(supervisor, actor=actor, reason=reason)
    supervisor_account_changed(supervisor=supervisor, previous_user_id=previous_user_id)
    return supervisor


def supervisor_account_changed(*, supervisor: Supervisor, previous_user_id: int | None) -> None:
    """After the record's user account changed (here or in the admin): the grants of the groups
    the supervisor works in move to the new account at once."""
    if supervisor.user_id == previous_user_id:
        return
    if previous_user_id is not None:
        UserObjectPermission.objects.filter(
            user_id=previous_user_id,
            content_type=ContentType.objects.get_for_model(Institution),
            permission__in=_permissions(),
        ).delete()
    _sync_grants(supervisor)


@transaction.atomic
def supervisor_reveal_id_number(*, supervisor: Supervisor, actor: User) -> str:
    """The full ID number, for the roles that need it; every display is logged."""
    supervisor_policy.require("reveal_id_number", actor, supervisor)
    id_number_view_log(supervisor=supervisor, viewer=actor)
    return supervisor.id_number


def id_number_view_log(*, supervisor: Supervisor, viewer: User) -> IdNumberView:
    """Log one display of ``supervisor``'s full ID number to ``viewer``: called once per page
    that shows it (the roster's "show full number", the admin's pages of one supervisor).
    The security log notes it too, with the viewer's address."""
    record(SecurityEvent.Kind.FULL_ID_VIEW, user=viewer, target=f"supervisor {supervisor.pk}")
    return IdNumberView.objects.create(supervisor=supervisor, viewer=viewer)
