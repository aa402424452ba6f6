"""The second sign-in step, enrolment, and the account page's two-step verification section."""

import re
from base64 import b32encode
from urllib.parse import urlencode

from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from audit_portal.accounts.models import User
from audit_portal.accounts.two_factor import services
from audit_portal.accounts.two_factor.forms import CodeForm, ResetForm, SignInCodeForm
from audit_portal.accounts.two_factor.qr import qr_svg
from audit_portal.core.web import apply_errors


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _locked_out(request: HttpRequest, user: User) -> HttpResponse:
    """The lockout page; the half-finished sign-in ends with it."""
    credentials = {"username": user.get_username()}
    logout(request)
    return get_lockout_response(request, None, credentials)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    next_url = _next(request)
    if user.is_verified():
        return redirect(next_url)
    if not services.has_second_factor(user):
        if services.is_required(user):
            return redirect(_with_next("accounts:two_factor_enrol", next_url))
        # Reset by an administrator, and not required of this role: nothing more to ask.
        request.session.pop(services.PENDING_SESSION_KEY, None)
        return redirect(next_url)
    if services.is_locked(request, user):
        return _locked_out(request, user)
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.sign_in_verify(request=request, token=form.cleaned_data["otp_token"])
        except services.LockedOut:
            return _locked_out(request, user)
        if device is not None:
            if isinstance(device, StaticDevice):
                _recovery_code_used_message(request, user)
            return redirect(next_url)
        form.add_error("otp_token", _("The code is not correct or has expired."))
    status = 400 if form.is_bound else 200
    context = {"form": form, "next": next_url}
    return render(request, "registration/two_factor_verify.html", context, status=status)


def _recovery_code_used_message(request: HttpRequest, user: User) -> None:
    left = services.recovery_codes_left(user)
    messages.warning(
        request,
        _(
            "You signed in with a recovery code; %(left)s are left. Make new ones on the "
            "two-step verification page before they run out."
        )
        % {"left": left},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    next_url = _next(request)
    if services.has_second_factor(user):
        if user.is_verified():
            return redirect("accounts:two_factor")
        # A new authenticator replaces the old one only after the old one's code.
        return redirect(_with_next("accounts:two_factor_verify", next_url))
    device = services.enrolment_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.enrolment_confirm(
                request=request, device=device, token=form.cleaned_data["otp_token"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _recovery_codes_page(request, codes, next_url)
    context = {
        "form": form,
        "next": next_url,
        "required": services.is_required(user),
        "qr": qr_svg(device.config_url, label=_("QR code for your authenticator app")),
        "secret": _grouped(device.key),
    }
    status = 400 if form.is_bound else 200
    return render(request, "registration/two_factor_enrol.html", context, status=status)


def _grouped(hex_key: str) -> str:
    """The secret as the authenticator apps take it typed in: base32, in groups of four."""
    secret = b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")
    return " ".join(re.findall(".{1,4}", secret))


def _recovery_codes_page(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    # Shown once, on the page that answers the request: only django-otp's rows keep them.
    context = {"codes": codes, "next": next_url}
    return render(request, "registration/two_factor_recovery_codes.html", context)


def _account_page(
    request: HttpRequest,
    *,
    regenerate_form: CodeForm | None = None,
    turn_off_form: CodeForm | None = None,
    reset_form: ResetForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    context = {
        "enabled": services.has_second_factor(user),
        "required": services.is_required(user),
        "codes_left": services.recovery_codes_left(user),
        "regenerate_form": regenerate_form or CodeForm(auto_id="id_regenerate_%s"),
        "turn_off_form": turn_off_form or CodeForm(auto_id="id_turn_off_%s"),
        "reset_form": (reset_form or ResetForm()) if user.is_admin else None,
    }
    return render(request, "registration/two_factor.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request)


@never_cache
@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CodeForm(request.POST, auto_id="id_regenerate_%s")
    if form.is_valid():
        try:
            codes = services.recovery_codes_regenerate(
                request=request, user=user, token=form.cleaned_data["otp_token"]
            )
        except services.LockedOut:
            return _locked_out(request, user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _recovery_codes_page(request, codes, reverse("accounts:two_factor"))
    return _account_page(request, regenerate_form=form, status=400)


@login_required
@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CodeForm(request.POST, auto_id="id_turn_off_%s")
    if form.is_valid():
        try:
            services.second_factor_turn_off(
                request=request, user=user, token=form.cleaned_data["otp_token"]
            )
        except services.LockedOut:
            return _locked_out(request, user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Two-step verification is turned off."))
            return redirect("accounts:two_factor")
    return _account_page(request, turn_off_form=form, status=400)


@login_required
@require_POST
def reset(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not actor.is_admin:
        raise PermissionDenied
    form = ResetForm(request.POST)
    if form.is_valid():
        target = User.objects.filter(username=form.cleaned_data["username"]).first()
        try:
            if target is None:
                raise ValidationError({"username": _("There is no user with this username.")})
            services.second_factor_reset(
                user=target, actor=actor, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Two-step verification of %(user)s is reset: they set it up again at their "
                    "next sign-in."
                )
                % {"user": target},
            )
            return redirect("accounts:two_factor")
    return _account_page(request, reset_form=form, status=400)
