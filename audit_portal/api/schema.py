"""The OpenAPI schema (drf-spectacular): every operation documents the errors it may answer,
all in the one shape of ``errors.ErrorSerializer``."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from audit_portal.api.errors import ErrorSerializer

ERRORS = {
    "400": _("Invalid data or filters, or refused for the object's state (see the fields)"),
    "401": _("No valid token and no session"),
    "403": _("Not allowed for this user or token"),
    "404": _("Not found in the user's scope"),
    "429": _("Too many requests; retry after the seconds in Retry-After"),
}
PUBLIC_ERRORS = ("400", "404", "429")


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        error = self.resolve_serializer(ErrorSerializer, direction).ref
        public = not getattr(self.view, "permission_classes", None) or getattr(
            self.view, "public", False
        )
        for status, description in ERRORS.items():
            if public and status not in PUBLIC_ERRORS:
                continue
            responses.setdefault(
                status,
                {"content": {"application/json": {"schema": error}}, "description": description},
            )
        return responses


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "audit_portal.api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (account → API tokens).",
        }


class VerifiedSessionScheme(SessionScheme):
    """The site's session (with its second factor verified) authenticates the API too."""

    target_class = "audit_portal.api.authentication.VerifiedSessionAuthentication"
