"""Working days by the Chinese calendar, with 调休 (DOMAIN "Counting").

Sources, in order: a day an administrator entered in the work calendar (``WorkCalendarDay``)
wins; otherwise the ``chinese-calendar`` package for the years it covers; otherwise, for a year an
administrator declared complete (``WorkCalendarYear``), the plain Monday–Friday rule; otherwise
the Monday–Friday rule *without official data*, which the result reports so pages can say so.
"""

import bisect
import datetime
from dataclasses import dataclass

import chinese_calendar

from inspections.models.calendar import WorkCalendarDay, WorkCalendarYear


@dataclass(frozen=True)
class Deadline:
    day: datetime.date
    # False when some day of the period fell in a year with no official arrangement.
    official: bool
    unofficial_years: tuple[int, ...] = ()


# The package's official arrangement, read once: its ``is_workday`` scans every holiday it knows
# for the first and last years on each call (~20 µs), and a countdown over an old issue asks
# about a thousand days or more.
_OFFICIAL_HOLIDAYS = frozenset(chinese_calendar.holidays)
_OFFICIAL_WORKDAYS = frozenset(chinese_calendar.workdays)
_OFFICIAL_YEARS = range(
    min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1
)


def official_workday(day: datetime.date) -> bool | None:
    """``chinese_calendar.is_workday(day)``, or None for a year the package has no data for."""
    if day.year not in _OFFICIAL_YEARS:
        return None
    return day in _OFFICIAL_WORKDAYS or (day.weekday() < 5 and day not in _OFFICIAL_HOLIDAYS)


class WorkCalendar:
    """Answers "is this a working day?" for a span, reading the admin table once."""

    def __init__(self, start: datetime.date, end: datetime.date):
        self.overrides = dict(
            WorkCalendarDay.objects.filter(day__range=(start, end)).values_list("day", "is_workday")
        )
        self.declared_years = set(
            WorkCalendarYear.objects.filter(year__range=(start.year, end.year)).values_list(
                "year", flat=True
            )
        )
        self.unofficial_years: set[int] = set()

    def is_workday(self, day: datetime.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        official = official_workday(day)
        if official is None:
            if day.year not in self.declared_years:
                self.unofficial_years.add(day.year)
            return day.weekday() < 5
        return official


def add_working_days(start: datetime.date, days: int) -> Deadline:
    """The last day of a period of ``days`` working days counted from the day after ``start``.

    The day of the event itself does not count (Civil Code art. 201), so an issue raised on
    Mon 2026-09-28 with 5 working days is due Sat 2026-10-10, a make-up workday after National
    Day week. With ``days`` = 0 the deadline is ``start`` itself.
    """
    if days < 0:
        raise ValueError("days must be zero or more")
    # Ten calendar days per five working days is more than any Chinese holiday needs; the
    # loop extends the window if it ever does not.
    span_end = start + datetime.timedelta(days=days * 2 + 15)
    calendar = WorkCalendar(start, span_end)
    day, counted = start, 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if day > span_end:
            span_end = day + datetime.timedelta(days=days * 2 + 15)
            calendar = _merged(calendar, WorkCalendar(day, span_end))
        if calendar.is_workday(day):
            counted += 1
    years = tuple(sorted(calendar.unofficial_years))
    return Deadline(day=day, official=not years, unofficial_years=years)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is
    before ``start``): the countdown shown next to a deadline."""
    if end == start:
        return 0
    sign = 1 if end > start else -1
    low, high = (start, end) if sign > 0 else (end, start)
    calendar = WorkCalendar(low, high)
    count = 0
    day = low
    while day < high:
        day += datetime.timedelta(days=1)
        if calendar.is_workday(day):
            count += 1
    return sign * count


def _merged(first: WorkCalendar, second: WorkCalendar) -> WorkCalendar:
    second.overrides.update(first.overrides)
    second.declared_years |= first.declared_years
    second.unofficial_years |= first.unofficial_years
    return second


class WorkingDays:
    """Working-day counts for many deadlines at once, from one read of the work calendar over
    ``start``..``end``: the daily reminder run counts every open issue's countdown with it. Days
    outside the span are counted by the functions above (a query each), never guessed."""

    def __init__(self, start: datetime.date, end: datetime.date):
        calendar = WorkCalendar(start, end)
        self.start, self.end = start, end
        self.days: list[datetime.date] = []
        day = start
        while day <= end:
            if calendar.is_workday(day):
                self.days.append(day)
            day += datetime.timedelta(days=1)

    def _covers(self, *days: datetime.date) -> bool:
        return all(self.start <= day <= self.end for day in days)

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """As ``working_days_between``: working days after ``start`` up to ``end`` included."""
        if not self._covers(start, end):
            return working_days_between(start, end)
        low, high = sorted((start, end))
        count = bisect.bisect_right(self.days, high) - bisect.bisect_right(self.days, low)
        return count if end >= start else -count

    def add(self, start: datetime.date, days: int) -> datetime.date:
        """As ``add_working_days(start, days).day``."""
        if days == 0:
            return start
        index = bisect.bisect_right(self.days, start) + days - 1
        if self._covers(start) and index < len(self.days):
            return self.days[index]
        return add_working_days(start, days).day
