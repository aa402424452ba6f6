"""Background work of the registry."""

import datetime

from django_tasks import task


@task()
def count_risk(on: str | None = None) -> int:
    """Recount every institution's risk figures (the daily run, or a page that found the whole
    scope out of date)."""
    from inspections.services.risk import risk_count

    return risk_count(on=datetime.date.fromisoformat(on) if on else None)
