"""The resident records' daily reminders (``reminder_sources`` on ``ResidentsConfig``), to the
staff of the placing station, who own the search and the return: an identity step past its due
moment (the family-search notice's 24 hours, the police answer's month), a stay become long with
no settlement filed, a follow-up visit not made by its day.

A missed run is caught up (``reminder_catch_up_days``) and a key per step keeps a second run
from sending it again. Messages name the institution and the admission day: never a resident
(mail leaves the system); the link leads to the record, for those who may read it.
"""

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from audit_portal.notices.kinds import Kind
from audit_portal.notices.registry import Reminder
from audit_portal.notices.reminders import catching_up
from audit_portal.rules import rules
from inspections.recipients import staff_by_organisation
from residents.models import FollowUpVisit, IdentityStep, Resident, Settlement

DAY = datetime.timedelta(days=1)

MESSAGES = {
    "step": gettext_noop(
        "A resident placed at %(institution)s (admitted %(admitted)s): %(step)s overdue since "
        "%(due)s."
    ),
    "long_stay": gettext_noop(
        "A resident placed at %(institution)s (admitted %(admitted)s) has stayed long since "
        "%(due)s with no settlement report or application."
    ),
    "follow_up": gettext_noop(
        "A resident placed at %(institution)s (admitted %(admitted)s) returned home: the "
        "follow-up visit due on %(due)s was not made."
    ),
}


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), timezone.get_current_timezone())


def _owed(on: datetime.date) -> list[tuple[str, Resident, str, str, str]]:
    """(message, resident, step name, due text, key) for what became overdue by day ``on``,
    within the catch-up window; each read on its index (open steps by due moment, residents by
    long-stay day, open visits by due day)."""
    moment = min(timezone.now(), _day_start(on + DAY))
    first_day = on - DAY * rules().reminder_catch_up_days
    steps = IdentityStep.objects.filter(
        done_at__isnull=True,
        due_at__lt=moment,
        due_at__gte=_day_start(first_day - DAY),
        resident__discharged_at__isnull=True,
    ).select_related("resident__institution")
    long_stays = (
        Resident.objects.filter(
            discharged_at__isnull=True, long_stay_on__lte=on, long_stay_on__gte=first_day
        )
        .exclude(Exists(Settlement.objects.filter(resident=OuterRef("pk"))))
        .select_related("institution")
    )
    visits = FollowUpVisit.objects.filter(
        done_on__isnull=True, due_on__lt=on, due_on__gte=first_day - DAY
    ).select_related("return_home__resident__institution")
    owed = []
    for step in steps:
        due = timezone.localtime(step.due_at)
        if catching_up((on - due.date()).days):
            owed.append(
                (
                    "step",
                    step.resident,
                    IdentityStep.Kind(step.kind).label,
                    due.strftime("%Y-%m-%d %H:%M"),
                    f"resident-step:{step.pk}:overdue",
                )
            )
    for resident in long_stays:
        key = f"resident:{resident.pk}:long-stay:{resident.long_stay_on}"
        owed.append(("long_stay", resident, "", f"{resident.long_stay_on}", key))
    for visit in visits:
        if catching_up((on - visit.due_on).days - 1):
            resident = visit.return_home.resident
            key = f"resident-follow-up:{visit.pk}:missed"
            owed.append(("follow_up", resident, "", f"{visit.due_on}", key))
    return owed


def overdue_reminders(on: datetime.date) -> Iterator[Reminder]:
    """Each overdue step once, to the staff of the station that placed the resident."""
    owed = _owed(on)
    if not owed:
        return
    staff = staff_by_organisation({resident.station_id for _m, resident, *_rest in owed})
    for message, resident, step, due, key in owed:
        with translation.override(settings.LANGUAGE_CODE):
            params = {
                "institution": str(resident.institution),
                "admitted": f"{timezone.localtime(resident.admitted_at):%Y-%m-%d}",
                "step": str(step),
                "due": due,
            }
        yield Reminder(
            kind=Kind.RESIDENT_STEP_OVERDUE,
            key=key,
            recipients=staff.get(resident.station_id, []),
            message=MESSAGES[message],
            params=params,
            url=reverse("residents:resident_detail", args=[resident.pk]),
        )
