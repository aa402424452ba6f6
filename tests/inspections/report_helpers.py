"""Monthly reports filed through the services, as an institution would."""

import datetime
import zoneinfo

import time_machine

from inspections.dates import add_months
from inspections.models.reports import last_due_month
from inspections.services import reports as services

# The moment the monthly-report tests are frozen at: 10:00 on Friday 20 March 2026.
REPORT_TIME = datetime.datetime(2026, 3, 20, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def build_world_at_report_time():
    """The shared test world as built at ``REPORT_TIME`` (a shared state, see
    ``tests/shared_state``)."""
    from tests.world import build_world

    with time_machine.travel(REPORT_TIME, tick=False):
        return build_world()


def line(start=0, admitted=0, discharged=0, hospital=0, died=0, missing=0, end=None, long_stay=0):
    """One category's figures; ``end`` defaults to what adds up (hospital counted as out)."""
    if end is None:
        end = start + admitted - discharged - hospital - died - missing
    return {
        "start": start,
        "admitted": admitted,
        "discharged": discharged,
        "hospital": hospital,
        "died": died,
        "missing": missing,
        "end": end,
        "long_stay": long_stay,
    }


def balanced(**by_category) -> dict:
    """``balanced(elderly=line(10, 2))`` — categories not given are all zero."""
    return dict(by_category)


def file_report(
    institution,
    actor,
    month: datetime.date,
    lines: dict | None = None,
    *,
    submit: bool = True,
    staff_on_duty: int = 8,
    explanation: str = "",
):
    report = services.report_save_draft(
        institution=institution,
        month=month,
        actor=actor,
        lines=lines if lines is not None else balanced(elderly=line(15, 1, 1), disabled=line(15)),
        staff_on_duty=staff_on_duty,
        notes="",
    )
    if submit:
        report = services.report_submit(report=report, actor=actor, explanation=explanation)
    return report


def due_months(on: datetime.date, count: int) -> list[datetime.date]:
    newest = last_due_month(on)
    return [add_months(newest, -index) for index in range(count)]
