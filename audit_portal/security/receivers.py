"""Signal receivers that write the security log (connected in ``SecurityConfig.ready``): sign-in,
its failures and the lockout, sign-out, changes of an account's role or organisation and the
grant or withdrawal of an object permission (guardian), whatever code path made them."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from guardian.models import UserObjectPermission
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record

from audit_portal.security.events import record
from audit_portal.security.models import SecurityEvent

Kind = SecurityEvent.Kind
Outcome = SecurityEvent.Outcome

# What an account may do and see: a change to any of these is a role change.
ROLE_FIELDS = ("role", "organisation_id", "institution_id", "is_staff", "is_superuser", "is_active")


def _current_request():
    """The request being served, if any (simple-history's middleware keeps it), for receivers
    of signals that carry none."""
    return getattr(HistoricalRecords.context, "request", None)


@receiver(user_logged_in, dispatch_uid="security.logged_in")
def record_login(sender, request, user, **kwargs) -> None:
    record(Kind.LOGIN, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="security.login_failed")
def record_login_failure(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password in ``credentials``; only the name is kept.
    username = str(credentials.get("username") or "")
    user = get_user_model().objects.filter(username=username).first() if username else None
    # Axes handles the signal first (installed earlier) and marks a refused locked-out try.
    locked = bool(getattr(request, "axes_locked_out", False))
    record(
        Kind.LOGIN_FAILED,
        request=request,
        user=user,
        username=username,
        outcome=Outcome.DENIED if locked else Outcome.FAILURE,
        detail="account locked" if locked else "",
    )


@receiver(user_locked_out, dispatch_uid="security.locked_out")
def record_lockout(sender, request, username, ip_address=None, **kwargs) -> None:
    username = str(username or "")
    user = get_user_model().objects.filter(username=username).first() if username else None
    record(Kind.LOCKOUT, request=request, user=user, username=username, outcome=Outcome.DENIED)


@receiver(user_logged_out, dispatch_uid="security.logged_out")
def record_logout(sender, request, user, **kwargs) -> None:
    # ``user`` is None when the session had already ended.
    if user is not None:
        record(Kind.LOGOUT, request=request, user=user)


def _role_summary(values: dict) -> str:
    return ", ".join(f"{name.removesuffix('_id')}={values[name]}" for name in ROLE_FIELDS)


@receiver(post_create_historical_record, dispatch_uid="security.role_changed")
def record_role_change(sender, instance, history_instance, **kwargs) -> None:
    if not isinstance(instance, get_user_model()):
        return
    now = {name: getattr(history_instance, name) for name in ROLE_FIELDS}
    if history_instance.history_type == "+":
        before = None
    elif history_instance.history_type == "~":
        previous = history_instance.prev_record
        before = {name: getattr(previous, name) for name in ROLE_FIELDS} if previous else None
        if before == now:
            return  # a sign-in's last_login, a new phone number: nothing about access
    else:
        return
    request = _current_request()
    record(
        Kind.ROLE_CHANGED,
        request=request,
        user=history_instance.history_user,
        target=f"user {instance.pk} ({instance.get_username()})",
        detail=(
            f"{_role_summary(before)} -> {_role_summary(now)}"
            if before
            else f"created: {_role_summary(now)}"
        ),
    )


def _permission_event(permission: UserObjectPermission, action: str) -> None:
    request = _current_request()
    record(
        Kind.PERMISSION_CHANGED,
        request=request,
        target=f"user {permission.user_id}",
        detail=(
            f"{action} {permission.permission.codename} on "
            f"{permission.content_type.model} {permission.object_pk}"
        ),
    )


@receiver(post_save, sender=UserObjectPermission, dispatch_uid="security.permission_granted")
def record_permission_grant(sender, instance, created, **kwargs) -> None:
    if created and not kwargs.get("raw"):
        _permission_event(instance, "granted")


@receiver(post_delete, sender=UserObjectPermission, dispatch_uid="security.permission_removed")
def record_permission_removal(sender, instance, **kwargs) -> None:
    _permission_event(instance, "withdrawn")
