"""Shared set-up of the reminder tests: the shared world built on a fixed day (Tuesday
1 September 2026), so every date it holds is known, and a run of ``send_reminders`` on a chosen
day that returns what that run sent."""

import datetime
from collections import defaultdict
from zoneinfo import ZoneInfo

import time_machine
from django.db.models import Max

from audit_portal.accounts.models import User
from audit_portal.notices.models import Notification
from audit_portal.notices.reminders import reminders_send
from tests.factories import UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
BUILT = datetime.datetime(2026, 9, 1, 10, 0, tzinfo=SHANGHAI)


def at(day: datetime.date, hour: int = 8) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), SHANGHAI)


def build_world_on_the_first_of_september():
    """The shared test world as built at ``BUILT`` (a shared state: ``tests/shared_state``)."""
    from tests.world import build_world

    with time_machine.travel(BUILT, tick=False):
        return build_world()


class Sent(dict):
    """What one run made: ``{key: [notifications]}``."""

    def to(self, key: str) -> set[User]:
        return {note.recipient for note in self.get(key, [])}

    def url(self, key: str, user: User) -> str:
        return next(note.url for note in self[key] if note.recipient_id == user.pk)

    def about(self, prefix: str) -> set[str]:
        """The keys sent that start with ``prefix``."""
        return {key for key in self if key.startswith(prefix)}


def run(time_machine, day: datetime.date, hour: int = 8) -> Sent:
    """Move the clock to ``hour`` o'clock on ``day`` and run the day's reminders."""
    time_machine.move_to(at(day, hour), tick=False)
    last = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    reminders_send(on=day)
    sent = defaultdict(list)
    for note in Notification.objects.filter(pk__gt=last).select_related("recipient"):
        sent[note.key].append(note)
    return Sent(sent)


def institution_account(institution) -> User:
    from guardian.shortcuts import assign_perm

    user = UserFactory(role=User.Role.INSTITUTION, organisation=None, institution=institution)
    assign_perm("inspections.view_institution", user, institution)
    return user


def people(*, institution=None, organisations=()) -> set[User]:
    """The active accounts of ``institution`` and staff of ``organisations``: whom a reminder
    about the institution may reach."""
    found = set()
    if institution is not None:
        found |= set(
            User.objects.filter(is_active=True, role=User.Role.INSTITUTION, institution=institution)
        )
    found |= set(
        User.objects.filter(is_active=True, role=User.Role.STAFF, organisation__in=organisations)
    )
    return found
