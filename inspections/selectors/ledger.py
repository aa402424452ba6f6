"""The issue ledger (台账): each issue with its countdown, the counts by area and severity, and
the issues raised and closed per month. The filtering itself is ``ledger_filter``."""

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Sum

from audit_portal.core.facts import counted
from audit_portal.rules import rules
from inspections.models import Area, Issue, IssueTally
from inspections.selectors.inspections import (
    fold_counts,
    ledger_counts,
    raised_and_closed_by_month,
)
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


def ledger_tables(issues, on: datetime.date, counts: dict | None = None) -> dict:
    """``ledger_counts`` (or ``counts`` already made, e.g. from the tallies) as rows in the
    checklist's order, every area and severity present."""
    counts = counts or ledger_counts(issues, on)
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
    return counted(
        f"inspections:ledger-chart:{digest}",
        CHART_SECONDS,
        lambda: {"months": raised_and_closed_by_month(issues, months, on)},
    )


# The ledger filters the stored tallies can answer; any other filter counts the issues.
TALLIED_FILTERS = {"county", "institution", "area", "severity", "status", "overdue"}


def tallied_counts(user, data: dict, on: datetime.date) -> dict | None:
    """The ledger's counts from the stored tallies (``IssueTally``, a few rows per institution)
    instead of grouping every issue in scope, when the filters are ones they can answer and
    every tally in scope is up to date; None otherwise.

    Not for institution users: their ledger leaves out the issues of inspections still in draft,
    which the tallies count (and their scope is one institution anyway)."""
    from inspections.selectors.registry import institutions_for
    from inspections.services.risk import risk_bring_up_to_date

    used = {name for name, value in data.items() if value not in (None, "", False)}
    if user.is_institution_user or not used <= TALLIED_FILTERS:
        return None
    scope = institutions_for(user)
    if data.get("county") is not None:
        scope = scope.filter(county=data["county"])
    if data.get("institution") is not None:
        scope = scope.filter(pk=data["institution"].pk)
    if not risk_bring_up_to_date(scope, on):
        return None
    tallies = IssueTally.objects.filter(institution__in=scope)
    if data.get("area"):
        tallies = tallies.filter(area=data["area"])
    if data.get("severity"):
        tallies = tallies.filter(severity=data["severity"])
    numbers = ("total", "unclosed", "submitted", "overdue", "overdue_submitted")
    groups = (
        tallies.order_by()
        .values("area", "severity")
        .annotate(**{f"{n}_sum": Sum(n) for n in numbers})
    )
    status, overdue_only = data.get("status") or "", bool(data.get("overdue"))
    return fold_counts(
        _under_filters({n: group[f"{n}_sum"] for n in numbers}, status, overdue_only)
        | {"area": group["area"], "severity": group["severity"]}
        for group in groups
    )


def _under_filters(t: dict, status: str, overdue_only: bool) -> dict:
    """(total, open, overdue) of one tally group among the issues the status and overdue
    filters keep (as ``ledger_filter`` keeps them)."""
    closed = t["total"] - t["unclosed"]
    if status == "unclosed":
        total, unclosed, overdue = t["unclosed"], t["unclosed"], t["overdue"]
    elif status == Issue.Status.CLOSED:
        total, unclosed, overdue = closed, 0, 0
    elif status == Issue.Status.OPEN:
        opened = t["unclosed"] - t["submitted"]
        total, unclosed, overdue = opened, opened, t["overdue"] - t["overdue_submitted"]
    elif status == Issue.Status.SUBMITTED:
        total, unclosed, overdue = t["submitted"], t["submitted"], t["overdue_submitted"]
    else:
        total, unclosed, overdue = t["total"], t["unclosed"], t["overdue"]
    if overdue_only:
        total = unclosed = overdue
    return {"total": total, "open": unclosed, "overdue": overdue}
