"""Keys and primitives of the personal data encrypted at rest (the fields of ``core.fields``).

``FIELD_ENCRYPTION_KEYS`` lists Fernet keys: the first encrypts, every one decrypts. A key is
rotated by putting a new one first, running ``manage.py rotate_field_encryption`` (which
re-encrypts every encrypted column with it) and then dropping the old one.

``FIELD_BLIND_INDEX_KEY`` keys the HMAC-SHA256 blind indexes: the digests that let the database
keep a value unique and find it by its exact value without ever holding the value itself.

With DEBUG on, both keys are derived from ``SECRET_KEY`` when not set; in production a missing key
is a configuration error (and ``check --deploy`` reports it: ``core.checks``).
"""

import base64
import binascii
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "InvalidToken",
    "blind_index",
    "decrypt",
    "encrypt",
    "encryption_keys",
    "index_key",
    "is_token",
    "reencrypt",
]


def _derived(purpose: str) -> str:
    digest = hashlib.sha256(f"{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def encryption_keys() -> tuple[str, ...]:
    """The configured Fernet keys, newest (the one that encrypts) first."""
    keys = tuple(settings.FIELD_ENCRYPTION_KEYS)
    if keys:
        return keys
    if settings.DEBUG:
        return (_derived("field-encryption"),)
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set when DEBUG is off.")


def index_key() -> bytes:
    key = settings.FIELD_BLIND_INDEX_KEY
    if key:
        return key.encode()
    if settings.DEBUG:
        return _derived("blind-index").encode()
    raise ImproperlyConfigured("FIELD_BLIND_INDEX_KEY must be set when DEBUG is off.")


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, binascii.Error) as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS holds a key that is not a Fernet key (32 url-safe base64 bytes)."
        ) from error


def encrypt(value: str) -> str:
    return _fernet(encryption_keys()).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """The plaintext of ``token``; ``InvalidToken`` when no configured key opens it."""
    return _fernet(encryption_keys()).decrypt(token.encode()).decode()


def reencrypt(token: str) -> str:
    """``token`` encrypted again under the first key (its timestamp kept)."""
    return _fernet(encryption_keys()).rotate(token.encode()).decode()


def is_token(value: str) -> bool:
    """Whether ``value`` is a token one of the configured keys opens (not a plaintext left from
    before the column was encrypted)."""
    try:
        decrypt(value)
    except InvalidToken:
        return False
    return True


def blind_index(value: str) -> str:
    """The hex HMAC-SHA256 of ``value``: equal values give equal digests, and without the key a
    digest tells nothing (an ID number's 10^6 plausible values cannot be tried)."""
    return hmac.new(index_key(), value.encode(), hashlib.sha256).hexdigest()
