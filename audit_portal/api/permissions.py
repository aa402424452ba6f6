"""Who may call: an authenticated user; a read-only token only reads (a write is a 403). What
the user may do to an object is the model's policy's, asked by the view (as the pages do)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from audit_portal.api.models import ApiToken


class TokenScope(BasePermission):
    message = _("This token is read-only.")
    code = "read_only_token"

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        token = request.auth
        return not isinstance(token, ApiToken) or token.writes


class Authenticated(BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_active)
