"""What each role may do, declared once.

A role grants model-level capabilities ("may change institutions"); *which* objects a user may
touch is decided by the scoping selectors (organisation tree, custody agreements) and by
django-guardian object permissions (supervisor assignments, institution accounts). See the
README's architecture section.

Each app declares its own grants as ``role_permissions`` on its AppConfig, keyed by role or by
``"staff:<organisation kind>"``; :func:`permissions_for` unions them.
"""

from functools import cache

from django.apps import apps

from audit_portal.accounts.models import User


def role_keys(user: User) -> tuple[str, ...]:
    if not user.is_active or user.is_anonymous:
        return ()
    keys = [user.role]
    if user.role == User.Role.STAFF and user.organisation_id:
        keys.append(f"staff:{user.organisation_kind}")
    return tuple(keys)


@cache
def _grants() -> dict[str, frozenset[str]]:
    merged: dict[str, set[str]] = {}
    for config in apps.get_app_configs():
        for key, perms in getattr(config, "role_permissions", {}).items():
            merged.setdefault(key, set()).update(perms)
    return {key: frozenset(perms) for key, perms in merged.items()}


def permissions_for(user: User) -> frozenset[str]:
    grants = _grants()
    perms: set[str] = set()
    for key in role_keys(user):
        perms |= grants.get(key, frozenset())
    return frozenset(perms)
