"""Model fields for personal data encrypted at rest (keys and primitives: ``core.crypto``).

``EncryptedCharField`` / ``EncryptedTextField`` hold a value the application reads in clear and
the database (its history tables and its backups) only as a Fernet token. The column cannot be
compared, so the only lookup allowed on it is ``isnull``: a value that must be unique or found by
its exact value gets a ``BlindIndexField`` beside it, kept up to date on every save, and its model
takes ``BlindIndexValidation`` so that a duplicate is refused on the encrypted field itself.
"""

from django.core.exceptions import FieldError, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from audit_portal.core import crypto


def mask_middle(value: str) -> str:
    """``320102198001011234`` → ``3201**********1234``: the first and last four only."""
    if len(value) < 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


class EncryptedMixin:
    """Encrypts on the way into the database, decrypts on the way out; an empty value stays
    empty (a blank optional field says nothing worth hiding)."""

    def get_internal_type(self) -> str:
        # A token is about 100 characters longer than its value: the column is text, while
        # ``max_length`` still bounds the value typed in the form.
        return "TextField"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_lookup(self, lookup_name: str):
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted and cannot be compared in the "
                "database: look it up by its blind index."
            )
        return super().get_lookup(lookup_name)

    def masked(self, value: str) -> str:
        """How a trail that must not show the value (the history diffs) shows it."""
        return mask_middle(value)


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A short personal value (an ID number, a phone number)."""


class EncryptedTextField(EncryptedMixin, models.TextField):
    """Personal free text (health notes): never shown even in part outside its page."""

    def masked(self, value: str) -> str:
        return _("(encrypted, not shown)")


class BlindIndexField(models.CharField):
    """The HMAC-SHA256 digest of the field named ``source`` (empty when that is empty), set on
    every save: what a unique constraint and an exact search compare instead of the value."""

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for default in ("max_length", "editable", "blank"):
            kwargs.pop(default, None)
        if self.max_length != 64:
            kwargs["max_length"] = self.max_length
        return name, path, args, kwargs

    def digest_of(self, instance: models.Model) -> str:
        value = getattr(instance, self.source)
        return crypto.blind_index(str(value)) if value not in (None, "") else ""

    def refresh(self, instance: models.Model) -> str:
        digest = self.digest_of(instance)
        setattr(instance, self.attname, digest)
        return digest

    def pre_save(self, model_instance, add):
        return self.refresh(model_instance)


class BlindIndexValidation:
    """For a model with blind indexes: their constraints are checked whenever the source field
    is (a form leaves the index out, since it has no input), on the digest of the value being
    validated, and a violation is reported on the source field, where the form shows it."""

    def validate_constraints(self, exclude=None):
        exclude = set(exclude or ())
        indexes = [f for f in self._meta.concrete_fields if isinstance(f, BlindIndexField)]
        for index in indexes:
            if index.source in exclude:
                exclude.add(index.name)
            else:
                exclude.discard(index.name)
                index.refresh(self)
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict({})
            for index in indexes:
                if index.name in errors:
                    errors.setdefault(index.source, []).extend(errors.pop(index.name))
            raise ValidationError(errors) from error
