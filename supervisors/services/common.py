"""What every write of the scheme shares (who may write is ``supervisors.policies``' to say)."""

import datetime

from django.utils import timezone


def _today() -> datetime.date:
    return timezone.localdate()
