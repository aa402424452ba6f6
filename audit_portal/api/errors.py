"""Every API error is JSON of one shape: a stable ``code``, a ``message`` in the user's language
and, for invalid data, ``fields`` (the messages under each field). A service's refusal reads the
same as on the pages: its ``ValidationError`` becomes a 400 with the fields it names, its
``PermissionDenied`` a 403; an object outside the user's scope a 404."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import set_rollback

NON_FIELD = "non_field_errors"


class ErrorSerializer(serializers.Serializer):
    """The body of every error response (for the schema)."""

    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


def from_django_validation(error: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        detail = {
            (NON_FIELD if field == NON_FIELD_ERRORS else field): [str(m) for m in messages]
            for field, messages in error.message_dict.items()
        }
    else:
        detail = {NON_FIELD: [str(m) for m in error.messages]}
    codes = [e.code for e in error.error_list] if not hasattr(error, "error_dict") else []
    return exceptions.ValidationError(detail, code=next((c for c in codes if c), "invalid"))


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """Nested serializer errors as ``{"lines.elderly.start": [...]}``."""
    fields: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            fields.update(_flatten(value, name))
    elif isinstance(detail, list) and detail and not all(isinstance(d, str) for d in detail):
        for index, value in enumerate(detail):
            fields.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        items = detail if isinstance(detail, list) else [detail]
        fields[prefix or NON_FIELD] = [str(item) for item in items]
    return fields


def _validation_body(exc: exceptions.ValidationError) -> dict:
    fields = _flatten(exc.detail)
    general = fields.pop(NON_FIELD, [])
    message = " ".join(general) or _("The data sent is not valid: see the fields.")
    codes = exc.get_codes()
    code = "invalid"
    if isinstance(codes, dict) and NON_FIELD in codes and codes[NON_FIELD]:
        first = codes[NON_FIELD][0]
        code = first if isinstance(first, str) and first != "invalid" else code
    elif isinstance(codes, list) and codes and isinstance(codes[0], str):
        code = codes[0]
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return body


def handle(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = from_django_validation(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if not isinstance(exc, exceptions.APIException):
        return None  # a server error: Django's 500 handling and logging
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        body = _validation_body(exc)
    else:
        # DRF's codes (``not_authenticated``, ``permission_denied``, ``not_found``,
        # ``throttled``...) or the one a permission names (``read_only_token``).
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        body = {"code": code, "message": str(exc.detail)}
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)
