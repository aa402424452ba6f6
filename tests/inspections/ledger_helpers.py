"""Shared set-up of the ledger tests: a clock frozen on Monday 28 September 2026, the week
before National Day, so working-day countdowns cross the 2026 holiday and its make-up day."""

import contextlib
import datetime
from zoneinfo import ZoneInfo

import time_machine

from inspections.services.issues import issue_raise

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime.date(2026, 9, 28)


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=SHANGHAI)


@contextlib.contextmanager
def frozen_clock():
    """Test modules wrap it in a ``clock`` fixture that their ``world`` depends on, so the
    world's issues are raised on ``MONDAY`` too."""
    with time_machine.travel(at(MONDAY), tick=False) as traveller:
        yield traveller


def build_world_on_monday():
    """The shared test world with everything in it raised on ``MONDAY`` (a shared state:
    ``tests/shared_state``)."""
    from tests.world import build_world

    with frozen_clock():
        return build_world()


def raise_issue(institution, actor, **fields):
    """A free-standing issue (no inspection), raised today by ``actor``."""
    values = {
        "area": "fire_safety",
        "description": "灭火器过期未更换",
        "severity": "general",
        "responsible_person": "王五",
    }
    values.update(fields)
    return issue_raise(institution=institution, actor=actor, **values)
