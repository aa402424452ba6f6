"""Who must use a second factor, and every change to one: enrolment, checking a code at sign-in,
new recovery codes, turning it off and an administrator's reset."""

import re

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit_portal.accounts.models import User
from audit_portal.core.history import stamp
from audit_portal.security.events import record
from audit_portal.security.models import SecurityEvent

RECOVERY_CODE_COUNT = 10
# Set at sign-in for a user who has a second factor, whether or not it is required of them: the
# session is then not finished until the code is given.
PENDING_SESSION_KEY = "audit_portal_second_factor_pending"
DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"
_SEPARATORS = re.compile(r"[\s-]+")


class LockedOut(Exception):
    """The username is locked by django-axes: no code may be tried."""


def is_required(user: User) -> bool:
    return bool(settings.TWO_FACTOR_REQUIRED and user.is_authenticated and user.needs_second_factor)


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def must_verify(request: HttpRequest) -> bool:
    """Whether this signed-in session still owes its second factor."""
    user = request.user
    if not user.is_authenticated:
        return False
    if not (is_required(user) or request.session.get(PENDING_SESSION_KEY)):
        return False
    # OTPMiddleware installs is_verified(); a request that bypassed it is not verified.
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified and is_verified())


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def is_locked(request: HttpRequest, user: User) -> bool:
    return AxesProxyHandler.is_locked(request, credentials=_credentials(user))


def _credentials(user: User) -> dict:
    return {"username": user.get_username()}


def enrolment_device(user: User) -> TOTPDevice:
    """The authenticator being set up: its secret stays the same while the page is reloaded, so
    a code from an already scanned QR code still confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def enrolment_confirm(*, request: HttpRequest, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the authenticator with a code from it; returns the new recovery codes (shown
    once). The session is verified by the same code."""
    user = device.user
    # Checked before the transaction: a wrong code's throttle count must survive the refusal.
    if device.confirmed or not device.verify_token(_clean(token)):
        record(
            SecurityEvent.Kind.OTP_FAILED,
            request=request,
            user=user,
            outcome=SecurityEvent.Outcome.FAILURE,
            detail="enrolment",
        )
        raise ValidationError(
            {"otp_token": _("The code is not correct or has expired. Enter the current code.")}
        )
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # One authenticator per person: an abandoned set-up leaves no second secret behind.
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _new_recovery_codes(user)
        record(SecurityEvent.Kind.OTP_ENROLLED, request=request, user=user)
    request.session[PENDING_SESSION_KEY] = True
    _verified(request, device)
    return codes


def second_factor_check(
    *, request: HttpRequest, user: User, token: str, allow_recovery: bool = True
) -> Device | None:
    """The device that accepts ``token`` (an authenticator code, or a recovery code, which is
    then used up), or None. A wrong code is a failed login for django-axes; the fifth locks the
    username (raises LockedOut), as does trying while it is locked."""
    if is_locked(request, user):
        raise LockedOut
    device = _match(user, _clean(token), allow_recovery=allow_recovery)
    if device is None:
        record(
            SecurityEvent.Kind.OTP_FAILED,
            request=request,
            user=user,
            outcome=SecurityEvent.Outcome.FAILURE,
        )
        user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
        if getattr(request, "axes_locked_out", False):
            raise LockedOut
        return None
    if isinstance(device, StaticDevice):
        record(SecurityEvent.Kind.RECOVERY_CODE_USED, request=request, user=user)
    else:
        record(SecurityEvent.Kind.OTP_VERIFIED, request=request, user=user)
    if settings.AXES_RESET_ON_SUCCESS:
        AxesProxyHandler.reset_attempts(username=user.get_username())
    return device


def sign_in_verify(*, request: HttpRequest, token: str) -> Device | None:
    """Finish the signed-in session's second step with ``token``."""
    device = second_factor_check(request=request, user=request.user, token=token)
    if device is not None:
        _verified(request, device)
    return device


def recovery_codes_regenerate(*, request: HttpRequest, user: User, token: str) -> list[str]:
    """New recovery codes in place of the old ones, on a current authenticator code."""
    if second_factor_check(request=request, user=user, token=token, allow_recovery=False) is None:
        raise ValidationError({"otp_token": _("The code is not correct or has expired.")})
    with transaction.atomic():
        return _new_recovery_codes(user)


def second_factor_turn_off(*, request: HttpRequest, user: User, token: str) -> None:
    """A user who may go without a second factor turns it off with a current code."""
    if is_required(user):
        raise PermissionDenied(_("Your role must sign in with two-step verification."))
    if second_factor_check(request=request, user=user, token=token) is None:
        raise ValidationError({"otp_token": _("The code is not correct or has expired.")})
    with transaction.atomic():
        _remove_devices(user)
        record(
            SecurityEvent.Kind.OTP_RESET,
            request=request,
            user=user,
            target=user.get_username(),
            detail="self",
        )
    request.session.pop(PENDING_SESSION_KEY, None)


@transaction.atomic
def second_factor_reset(
    *, user: User, actor: User, reason: str, request: HttpRequest | None = None
) -> None:
    """An administrator removes a user's authenticator and recovery codes (a lost phone); the
    user sets up a new one at the next sign-in. The user's history keeps who and why."""
    if not actor.is_admin:
        raise PermissionDenied
    if user.pk == actor.pk:
        raise ValidationError(
            {"username": _("Another administrator must reset your own two-step verification.")}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for this reset.")})
    if not _remove_devices(user):
        raise ValidationError({"username": _("This user has not set up two-step verification.")})
    stamp(user, actor=actor, reason=_("Two-step verification reset: %s") % reason.strip())
    user.save()
    record(
        SecurityEvent.Kind.OTP_RESET,
        request=request,
        user=actor,
        target=user.get_username(),
        detail=reason.strip(),
    )


def _clean(token: str) -> str:
    return _SEPARATORS.sub("", token or "").lower()


def _match(user: User, token: str, *, allow_recovery: bool) -> Device | None:
    if token.isdigit():
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    elif allow_recovery:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    else:
        return None
    return next((device for device in devices if device.verify_token(token)), None)


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _remove_devices(user: User) -> bool:
    removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return bool(removed)


def _verified(request: HttpRequest, device: Device) -> None:
    from django_otp import login as otp_login

    otp_login(request, device)
