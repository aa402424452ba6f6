"""The supervisor scheme's daily reminders and calendar events (declared on
``SupervisorsConfig``): a term reaching its end, ``supervisor_term_reminder_days`` before (90
and 30 days), to the supervisor and to the city bureau's staff, who run the appointments
(renewal, or a successor: at most two consecutive terms).

As every reminder source (``inspections.reminders``): the step reached by ``on`` is sent under
a key naming the term and the step, so a run repeated on one day sends nothing twice and a
missed day is caught up, up to ``reminder_catch_up_days`` late.
"""

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit_portal.accounts.models import User
from audit_portal.notices.kinds import Kind
from audit_portal.notices.registry import CalendarEvent, Reminder
from audit_portal.notices.reminders import catching_up, step_reached
from audit_portal.rules import rules
from inspections.recipients import city_staff
from supervisors.models import Term
from supervisors.selectors import own_supervisor, supervisors_for, terms_ending

DAY = datetime.timedelta(days=1)
# Calendar events at most (the earliest kept).
LIMIT = 300

TERM_ENDING_MINE = gettext_noop(
    "Your term as invited supervisor ends on %(date)s: %(days)s days left."
)
TERM_ENDING = gettext_noop(
    "The term of invited supervisor %(supervisor)s ends on %(date)s: %(days)s days left."
)


def term_reminders(on: datetime.date) -> Iterator[Reminder]:
    steps = rules().supervisor_term_reminder_days
    terms = list(terms_ending(on, on + DAY * max(steps)).select_related("supervisor__user"))
    if not terms:
        return
    staff = list(city_staff().order_by("pk"))
    for term in terms:
        days_left = (term.last_day - on).days
        step = step_reached(days_left, steps)
        if step is None or not catching_up((on - (term.last_day - DAY * step)).days):
            continue
        key = f"term:{term.pk}:ending:{step}"
        params = {
            "supervisor": term.supervisor.full_name,
            "date": term.last_day.isoformat(),
            "days": days_left,
        }
        user = term.supervisor.user
        if user is not None and user.role == User.Role.SUPERVISOR:
            yield Reminder(
                kind=Kind.TERM_ENDING,
                key=key,
                recipients=[user],
                message=TERM_ENDING_MINE,
                params=params,
                url=reverse("supervisors:my_record"),
            )
        yield Reminder(
            kind=Kind.TERM_ENDING,
            key=key,
            recipients=staff,
            message=TERM_ENDING,
            params=params,
            url=reverse("supervisors:supervisor_detail", args=[term.supervisor_id]),
        )


def calendar_events(user: User, *, start: datetime.date, end: datetime.date) -> list[CalendarEvent]:
    """The last days of the terms in the user's view: a supervisor's own, the terms of the
    supervisors a bureau sees (``supervisors_for``)."""
    terms = Term.objects.filter(
        terminated_on__isnull=True, last_day__range=(start, end)
    ).select_related("supervisor")
    mine = own_supervisor(user)
    if mine is not None:
        terms = terms.filter(supervisor=mine)
    else:
        terms = terms.filter(supervisor__in=supervisors_for(user))
    events = []
    for term in terms.order_by("last_day", "pk")[:LIMIT]:
        if mine is not None:
            summary = _("My term as invited supervisor ends")
            url = reverse("supervisors:my_record")
        else:
            summary = _("Term of invited supervisor %(supervisor)s ends") % {
                "supervisor": term.supervisor.full_name
            }
            url = reverse("supervisors:supervisor_detail", args=[term.supervisor_id])
        events.append(
            CalendarEvent(uid=f"term-{term.pk}-end", day=term.last_day, summary=summary, url=url)
        )
    return events
