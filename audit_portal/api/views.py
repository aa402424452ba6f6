"""The base of every API view: the user's language, the scope of its queryset, and the glue that
runs a page's form and a service (their refusals become the JSON errors of ``errors``)."""

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework import exceptions, serializers, viewsets

from audit_portal.api.errors import NON_FIELD
from audit_portal.api.filters import is_id
from audit_portal.api.permissions import Authenticated, TokenScope


def accepted_language(request) -> str | None:
    """The first language of ``Accept-Language`` the site speaks; ``None`` without one. (The
    pages follow the language switcher only; an API client says what it reads.)"""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


class ApiViewMixin:
    permission_classes = (Authenticated, TokenScope)

    def initial(self, request, *args, **kwargs):
        language = accepted_language(request)
        if language and language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        return response


class ScopedViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """A read-only resource whose queryset is the user's scope (``scope(user)``, the selector
    the pages use): lists show only rows in scope, any other object is a 404."""

    # The role permission the pages require for the list (a 403 without it, as there); an
    # object in scope is read without it (an institution's own), unless ``perm_on_objects``.
    view_perm: str | None = None
    perm_on_objects = False

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.check_area(request.user)

    def check_area(self, user) -> None:
        """Whether the user may read this kind of record at all, as the pages decide it."""
        applies = self.action == "list" or self.perm_on_objects
        if self.view_perm and applies and not user.has_perm(self.view_perm):
            raise exceptions.PermissionDenied

    def scope(self, user) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        return self.scope(self.request.user)

    def get_object(self):
        # An id no row can have is not sent to the database (which fails on it): a 404.
        if not is_id(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)):
            raise exceptions.NotFound
        return super().get_object()


def form_or_error(form) -> dict:
    """The cleaned data of a page's form, or its errors as a 400 (each under its field)."""
    if form.is_valid():
        return form.cleaned_data
    detail = {
        (NON_FIELD if name == "__all__" else name): [str(e) for e in errors]
        for name, errors in form.errors.items()
    }
    raise exceptions.ValidationError(detail)


def like_form(field_class, form_field_class=forms.CharField, **kwargs):
    """A serializer field for the schema and the JSON types of a write that a page's form then
    validates: a value missing or of the wrong type is refused with the form's own words, a
    blank one left for the form to judge."""
    required = forms.Field.default_error_messages["required"]
    messages = {"required": required, "null": required, "blank": required}
    invalid = form_field_class.default_error_messages.get("invalid")
    if invalid:
        messages["invalid"] = invalid
    if issubclass(field_class, serializers.CharField):
        kwargs.setdefault("allow_blank", True)
    return field_class(error_messages=messages, **kwargs)
