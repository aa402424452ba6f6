"""System checks of the keys of the personal data encrypted at rest (``core.crypto``).

A malformed key is an error everywhere; a missing one only in production, where
``check --deploy`` reports it (with DEBUG on the keys are derived from ``SECRET_KEY``)."""

import binascii

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def field_encryption_keys_valid(app_configs, **kwargs) -> list[Error]:
    errors = []
    for position, key in enumerate(settings.FIELD_ENCRYPTION_KEYS, start=1):
        try:
            Fernet(key)
        except (ValueError, binascii.Error):
            errors.append(
                Error(
                    f"Key {position} of FIELD_ENCRYPTION_KEYS is not a Fernet key.",
                    hint="Make one with: python -c 'from cryptography.fernet import Fernet; "
                    "print(Fernet.generate_key().decode())'",
                    id="core.E002",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def field_encryption_keys_set(app_configs, **kwargs) -> list[Error]:
    if settings.DEBUG:
        return []
    errors = []
    if not settings.FIELD_ENCRYPTION_KEYS:
        errors.append(
            Error(
                "FIELD_ENCRYPTION_KEYS is not set: personal data cannot be encrypted or read.",
                hint="Set it to one or more comma-separated Fernet keys (the first encrypts) and "
                "keep a copy apart from the database backups.",
                id="core.E001",
            )
        )
    if not settings.FIELD_BLIND_INDEX_KEY:
        errors.append(
            Error(
                "FIELD_BLIND_INDEX_KEY is not set: encrypted ID numbers cannot be kept unique.",
                hint="Set it to a long random string and keep a copy apart from the backups.",
                id="core.E003",
            )
        )
    return errors
