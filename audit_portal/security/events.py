"""Writing the security log: ``record(kind, ...)`` from anywhere (views, services, receivers).

The free-text fields pass through :func:`redact` first, so that a caller who puts an ID number
or a token into a detail line by mistake still stores only its masked form.
"""

import re

from django.core.cache import cache
from django.http import HttpRequest
from simple_history.models import HistoricalRecords

from audit_portal.core.fields import mask_middle
from audit_portal.security.addresses import client_address
from audit_portal.security.models import SecurityEvent

# An 18-character resident ID number (17 digits and a check digit or X) or the older 15-digit
# one, not inside a longer run of letters and digits. ASCII bounds: Chinese text around the
# number counts as a word character for ``\b``.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
# A secret-looking run: 24 or more URL-safe characters (API tokens, session keys, TOTP secrets).
_LONG_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{24,}(?![A-Za-z0-9_-])")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
# "password=…", "token: …": whatever follows such a name is a secret whatever its length.
_NAMED_SECRET = re.compile(r"(?i)\b(password|passwd|secret|token|otp)(\s*[=:]\s*)\S+")


def _mask_token(match: re.Match) -> str:
    value = match.group(0)
    if _UUID.fullmatch(value):
        return value
    return value[:4] + "…"


def redact(text: str) -> str:
    """``text`` with ID numbers masked to their first and last four characters, long tokens cut
    to their first four and values given for a password or token replaced."""
    text = _NAMED_SECRET.sub(r"\1\2***", text)
    text = _ID_NUMBER.sub(lambda match: mask_middle(match.group(0)), text)
    return _LONG_TOKEN.sub(_mask_token, text)


def _limit(text: str, field: str) -> str:
    return text[: SecurityEvent._meta.get_field(field).max_length]


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user=None,
    outcome: str = SecurityEvent.Outcome.SUCCESS,
    detail: str = "",
    target: str = "",
    username: str = "",
) -> SecurityEvent:
    """Add one event. ``request`` defaults to the request being served (simple-history's
    middleware keeps it, so a service called by a page needs none passed); ``user`` to its
    signed-in user; ``username`` (the name as typed) to the user's. The address and browser come
    from the request when there is one."""
    SecurityEvent.Kind(kind)  # an unknown kind is a programming error, not a silent row
    SecurityEvent.Outcome(outcome)
    if request is None:
        request = getattr(HistoricalRecords.context, "request", None)
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    if user is not None and not getattr(user, "pk", None):
        user = None
    if not username and user is not None:
        username = user.get_username()
    address = client_address(request) if request is not None else ""
    user_agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=_limit(redact(username), "username"),
        address=address or None,
        user_agent=_limit(user_agent, "user_agent"),
        outcome=outcome,
        target=_limit(redact(target), "target"),
        detail=_limit(redact(detail), "detail"),
    )


def record_at_most_every(seconds: int, key: str, kind: str, **kwargs) -> SecurityEvent | None:
    """``record`` unless an event with the same ``key`` was recorded in the last ``seconds``
    (per cache: with the shared Redis cache, per site): for events that come with every request,
    such as an API token's use, where one row a minute says enough."""
    if not cache.add(f"security-event:{key}", 1, timeout=seconds):
        return None
    return record(kind, **kwargs)
