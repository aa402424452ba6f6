"""The checks every write of the scheme shares."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from audit_portal.accounts.models import User


def _today() -> datetime.date:
    return timezone.localdate()


def _require(actor: User, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied
