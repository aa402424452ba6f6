"""Writes on API tokens: created by civil-affairs staff for themselves (administrators for
anyone), revoked by their user or an administrator. Only the token's hash is stored; the token
itself is returned once, by ``token_create``."""

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit_portal.accounts.models import User
from audit_portal.api.models import ApiToken, ApiTokenUse, token_hash
from audit_portal.rules import rules
from audit_portal.security.events import record
from audit_portal.security.models import SecurityEvent

# Marks the string as this system's token (for secret scanners and for people).
TOKEN_PREFIX = "ap_"  # noqa: S105


def may_hold_tokens(user: User) -> bool:
    """Who manages tokens on the account pages: administrators and civil-affairs staff."""
    return (
        user.is_authenticated and user.is_active and (user.is_admin or user.is_civil_affairs_staff)
    )


def may_manage(actor: User, token: ApiToken) -> bool:
    return actor.is_admin or token.user_id == actor.pk


@transaction.atomic
def token_create(
    *, user: User, actor: User, name: str, scope: str, expires_on: datetime.date
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the token row and the token, shown once."""
    if not may_hold_tokens(actor) or (user.pk != actor.pk and not actor.is_admin):
        raise PermissionDenied(_("Only administrators create tokens for other accounts."))
    if not user.is_active:
        raise ValidationError({"user": _("This account is not active.")})
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": _("Choose read only or read and write.")})
    today = timezone.localdate()
    longest = rules().api_token_max_days
    if expires_on <= today:
        raise ValidationError({"expires_on": _("The expiry date must be after today.")})
    if expires_on > today + datetime.timedelta(days=longest):
        raise ValidationError(
            {"expires_on": _("A token lives at most %(days)d days.") % {"days": longest}}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    # The token works until the end of its expiry day, local time.
    expires_at = datetime.datetime.combine(
        expires_on + datetime.timedelta(days=1), datetime.time(), timezone.get_current_timezone()
    )
    token = ApiToken(
        user=user,
        name=name,
        scope=scope,
        key_hash=token_hash(raw),
        prefix=raw[:10],
        created_by=actor,
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    record(
        SecurityEvent.Kind.API_TOKEN_CREATED,
        user=actor,
        target=f"token {token.pk} ({token.prefix}…) of user {user.pk}",
        detail=f"scope={scope}, expires={expires_on.isoformat()}",
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if not may_manage(actor, token):
        raise PermissionDenied
    if token.revoked_at is not None:
        raise ValidationError(_("This token was already revoked."))
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    record(
        SecurityEvent.Kind.API_TOKEN_REVOKED,
        user=actor,
        target=f"token {token.pk} ({token.prefix}…) of user {token.user_id}",
    )
    return token


def token_used(*, token: ApiToken, ip: str | None, method: str, path: str) -> None:
    """Record one request made with ``token``."""
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    ApiTokenUse.objects.create(
        token=token,
        user_id=token.user_id,
        token_name=token.name,
        at=now,
        ip=ip,
        method=method[:8],
        path=path[:300],
    )
