"""Who is calling: a personal API token (``Authorization: Bearer <token>``) or the browser's
session (with its CSRF check, DRF's ``SessionAuthentication``). Every request made with a token
is recorded (``ApiTokenUse``) and stamps the token's ``last_used_at``."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import (
    BaseAuthentication,
    SessionAuthentication,
    get_authorization_header,
)

from audit_portal.accounts.two_factor.services import must_verify
from audit_portal.api.models import ApiToken, token_hash
from audit_portal.api.services import token_used
from audit_portal.security.addresses import client_address
from audit_portal.security.events import record_at_most_every
from audit_portal.security.models import SecurityEvent

KEYWORDS = (b"bearer", b"token")


class TokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as “Bearer <token>”."))
        try:
            raw = parts[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        token = (
            ApiToken.objects.select_related("user", "user__organisation")
            .filter(key_hash=token_hash(raw))
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        if not token.is_usable():
            raise exceptions.AuthenticationFailed(_("The token has expired or was revoked."))
        token_used(
            token=token,
            ip=client_address(request) or None,
            method=request.method,
            path=request.get_full_path(),
        )
        # Every use is an ApiTokenUse row already; the security log notes a token's use once a
        # minute at most, so that a script's thousand calls do not bury the sign-ins.
        record_at_most_every(
            60,
            f"token-{token.pk}",
            SecurityEvent.Kind.API_TOKEN_USED,
            request=request,
            user=token.user,
            target=f"token {token.pk} ({token.prefix}…)",
        )
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes an unauthenticated request a 401 that names the scheme, rather than a 403.
        return 'Bearer realm="api"'


class VerifiedSessionAuthentication(SessionAuthentication):
    """The browser's session, once it has given its second factor where one is owed: a session
    halfway through signing in reads nothing (a 403 that says why)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and must_verify(request._request):
            raise exceptions.PermissionDenied(
                _("Finish two-step verification before using the API from the browser."),
                code="second_factor_required",
            )
        return result
