from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit_portal.accounts.models import Organisation, User
from audit_portal.core.history import save_audited, stamp

ORGANISATION_FIELDS = ("name", "code", "kind", "parent", "address", "phone", "email")


@transaction.atomic
def organisation_create(
    *,
    name: str,
    code: str,
    kind: str,
    parent: Organisation | None = None,
    actor: User | None,
    address: str = "",
    phone: str = "",
    email: str = "",
) -> Organisation:
    organisation = Organisation(
        name=name,
        code=code,
        kind=kind,
        parent=parent,
        address=address,
        phone=phone,
        email=email,
    )
    return save_audited(organisation, actor=actor, reason="")


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, actor: User, reason: str, **fields
) -> Organisation:
    """Change an organisation's details; the history row keeps who and why."""
    if not actor.has_perm("accounts.change_organisation"):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for this change.")})
    for name, value in fields.items():
        if name not in ORGANISATION_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        setattr(organisation, name, value)
    return save_audited(organisation, actor=actor, reason=reason)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    full_name: str,
    role: str,
    organisation: Organisation | None = None,
    email: str = "",
    phone: str = "",
    actor: User | None,
) -> User:
    """Create an account; the password is checked against the validators first."""
    from django.contrib.auth.password_validation import validate_password

    user = User(
        username=username,
        full_name=full_name,
        role=role,
        organisation=organisation,
        email=email,
        phone=phone,
        is_staff=role == User.Role.ADMIN,
        is_superuser=role == User.Role.ADMIN,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    stamp(user, actor=actor, reason="")
    user.save()
    return user
