"""City-scale data (``manage.py seed_scale``), the open day: the summary of every open day the
records cover, drafted by the city bureau from the generated records, approved by a second
account and published through the services (so the figures are what they would compute), then
dated back to the days before each open day."""

import datetime

from audit_portal.accounts.models import User
from audit_portal.core.scale import at
from openday import services
from openday.models import Summary, open_day


def seed(world: dict) -> None:
    today, start = world["today"], world["start"]
    drafter = User.objects.get(username="city")
    approver = User.objects.get(username="city2")
    for year in range(start.year, today.year + 1):
        day = open_day(year)
        if not start < day <= today:
            continue
        summary = services.summary_draft(year=year, actor=drafter)
        services.summary_approve(summary=summary, actor=approver)
        services.summary_publish(summary=summary, actor=approver)
        Summary.objects.filter(pk=summary.pk).update(
            generated_at=at(day - datetime.timedelta(days=12), 10),
            drafted_at=at(day - datetime.timedelta(days=12), 10),
            approved_at=at(day - datetime.timedelta(days=8), 15),
            published_at=at(day - datetime.timedelta(days=5), 9),
        )
        world["writer"].progress.tick(summary.entries.count())
