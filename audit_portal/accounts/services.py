from django.db import transaction

from audit_portal.accounts.models import Organisation, User
from audit_portal.core.history import save_audited, stamp


@transaction.atomic
def organisation_create(
    *, name: str, code: str, kind: str, parent: Organisation | None = None, actor: User | None
) -> Organisation:
    organisation = Organisation(name=name, code=code, kind=kind, parent=parent)
    return save_audited(organisation, actor=actor, reason="")


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
