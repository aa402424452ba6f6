from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SecurityEvent(models.Model):
    """One security-relevant event (安全日志): who (the account, and the name as typed for a
    failed sign-in), when, from which address, what happened and to what, with its outcome.

    Rows are only ever added (``events.record``) and removed by age (``manage.py
    purge_security_events``, never before the retention floor); nobody edits them. They hold no
    password, token or full ID number: ``events.redact`` masks the free-text fields on the way in.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("Signed in")
        LOGIN_FAILED = "login_failed", _("Sign-in failed")
        LOCKOUT = "lockout", _("Account locked")
        LOGOUT = "logout", _("Signed out")
        OTP_ENROLLED = "otp_enrolled", _("Two-factor authentication set up")
        OTP_VERIFIED = "otp_verified", _("Dynamic verification code accepted")
        OTP_FAILED = "otp_failed", _("Dynamic verification code refused")
        OTP_RESET = "otp_reset", _("Two-factor authentication reset")
        RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
        PERMISSION_DENIED = "permission_denied", _("Access refused")
        PERSONAL_DATA_EXPORT = "personal_data_export", _("Personal data exported")
        PERSONAL_DATA_PDF = "personal_data_pdf", _("PDF with personal data produced")
        FULL_ID_VIEW = "full_id_view", _("Full ID number viewed")
        API_TOKEN_USED = "api_token_used", _("API token used")
        API_TOKEN_CREATED = "api_token_created", _("API token created")
        API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")
        ROLE_CHANGED = "role_changed", _("Role or organisation changed")
        PERMISSION_CHANGED = "permission_changed", _("Permission granted or withdrawn")
        PASSWORD_CHANGED = "password_changed", _("Password changed")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Succeeded")
        FAILURE = "failure", _("Failed")
        DENIED = "denied", pgettext_lazy("security outcome", "Refused")

    at = models.DateTimeField(_("time"), default=timezone.now)
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)
    # PROTECT: an account with security history is deactivated, never deleted, so the log keeps
    # saying whose it was (the username below is kept as well, for failures with no account).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.SUCCESS
    )
    target = models.CharField(_("target"), max_length=200, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-id"]
        indexes = [
            # The search page, newest first with no filter, and the purge of rows before a date.
            models.Index(fields=["-at"], name="security_event_at_idx"),
            # One name's events, newest first (filter by user): the account's, and the failed
            # sign-ins typed with that name whether or not an account has it.
            models.Index(fields=["username", "-at"], name="security_event_username_at_idx"),
            # One kind of event, newest first (filter by kind: failures, lockouts, exports).
            models.Index(fields=["kind", "-at"], name="security_event_kind_at_idx"),
            # Everything from one address, newest first (filter by address).
            models.Index(fields=["address", "-at"], name="security_event_address_at_idx"),
        ]

    def __str__(self) -> str:
        who = self.username or "-"
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M:%S} {self.kind} {who} {self.outcome}"
