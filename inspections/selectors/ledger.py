"""The issue ledger (台账): each issue with its countdown, the counts by area and severity, and
the issues raised and closed per month. The filtering itself is ``ledger_filter``."""

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from audit_portal.rules import rules
from inspections.models import Area, Issue
from inspections.selectors.inspections import ledger_counts, raised_and_closed_by_month
from inspections.workdays import WorkCalendar


@dataclass(frozen=True)
class LedgerRow:
    issue: Issue
    # Working days from the day after ``on`` up to and including the deadline; None once
    # the issue is closed or overdue.
    working_days_left: int | None
    # Calendar days past the deadline, for an issue not closed; None otherwise.
    days_overdue: int | None
    due_soon: bool
    # The deadline or the countdown was counted without the official holiday arrangement.
    provisional: bool

    @property
    def is_overdue(self) -> bool:
        return self.days_overdue is not None


def ledger_rows(issues: Iterable[Issue], on: datetime.date) -> list[LedgerRow]:
    """The countdown of every issue, reading the work calendar once for the whole list."""
    issues = list(issues)
    pending = [i for i in issues if not i.is_closed and i.deadline > on]
    counter = _Countdown(on, max((i.deadline for i in pending), default=on))
    soon = on + datetime.timedelta(days=rules().issue_due_soon_days)
    rows = []
    for issue in issues:
        left = overdue = None
        unofficial = False
        if not issue.is_closed:
            if issue.deadline < on:
                overdue = (on - issue.deadline).days
            else:
                left = counter.working_days_until(issue.deadline)
                unofficial = counter.unofficial_until(issue.deadline)
        rows.append(
            LedgerRow(
                issue=issue,
                working_days_left=left,
                days_overdue=overdue,
                due_soon=left is not None and issue.deadline <= soon,
                provisional=not issue.deadline_official or unofficial,
            )
        )
    return rows


class _Countdown:
    """Working days after ``on`` up to each day of a span, as a running total."""

    def __init__(self, on: datetime.date, until: datetime.date):
        self.on = on
        calendar = WorkCalendar(on, until)
        self.totals: dict[datetime.date, int] = {on: 0}
        day, total = on, 0
        while day < until:
            day += datetime.timedelta(days=1)
            total += calendar.is_workday(day)
            self.totals[day] = total
        self.unofficial_years = calendar.unofficial_years

    def working_days_until(self, day: datetime.date) -> int:
        return self.totals[day]

    def unofficial_until(self, day: datetime.date) -> bool:
        return any(self.on.year <= year <= day.year for year in self.unofficial_years)


def ledger_tables(issues, on: datetime.date) -> dict:
    """``ledger_counts`` as rows in the checklist's order, every area and severity present."""
    counts = ledger_counts(issues, on)
    empty = {"total": 0, "open": 0, "overdue": 0}

    def rows(groups: dict, choices) -> list[dict]:
        return [
            {"value": value, "label": label, **empty, **_numbers(groups.get(value, {}))}
            for value, label in choices
        ]

    return {
        "totals": counts["totals"],
        "by_area": rows(counts["by_area"], Area.choices),
        "by_severity": rows(counts["by_severity"], Issue.Severity.choices),
    }


def _numbers(row: dict) -> dict:
    return {key: value for key, value in row.items() if key in ("total", "open", "overdue")}


# Seconds a ledger chart is kept before it is counted again.
CHART_SECONDS = 5 * 60


def ledger_chart(issues, months: int, on: datetime.date, *, key: str) -> dict:
    """Issues raised and closed per month for the last ``months`` months, counted at most once
    every CHART_SECONDS for the same ``key`` (the user and the filters that choose the issues):
    a year of a city's issues is not recounted on every page of the ledger."""
    digest = hashlib.sha256(f"{key}|{months}|{on}".encode()).hexdigest()[:32]
    cache_key = f"inspections:ledger-chart:{digest}"
    chart = cache.get(cache_key)
    if chart is None:
        chart = {
            "months": raised_and_closed_by_month(issues, months, on),
            "counted_at": timezone.now(),
        }
        cache.set(cache_key, chart, CHART_SECONDS)
    return chart
