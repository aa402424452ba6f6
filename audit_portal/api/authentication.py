"""Who is calling: a personal API token (``Authorization: Bearer <token>``) or the browser's
session (with its CSRF check, DRF's ``SessionAuthentication``). Every request made with a token
is recorded (``ApiTokenUse``) and stamps the token's ``last_used_at``."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from audit_portal.api.models import ApiToken, token_hash
from audit_portal.api.services import token_used

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
        # REMOTE_ADDR: the deployment passes the client's address there (as openday's limits).
        token_used(
            token=token,
            ip=request.META.get("REMOTE_ADDR") or None,
            method=request.method,
            path=request.get_full_path(),
        )
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes an unauthenticated request a 401 that names the scheme, rather than a 403.
        return 'Bearer realm="api"'
