"""Date arithmetic by the rules of Chinese legal drafting (see DOMAIN "Counting")."""

import calendar
import datetime


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` later; 29 February falls back to 28 February."""
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def latest_start_for_anniversary(on: datetime.date, years: int) -> datetime.date:
    """The latest start date whose ``years``-th anniversary falls on or before ``on``.

    The inverse of :func:`add_years`, used to filter in the database: a start on 29 February has
    its anniversary on 28 February of a common year, so on that 28 February the 29th qualifies.
    """
    candidate = add_years(on, -years)
    next_day = candidate + datetime.timedelta(days=1)
    if add_years(next_day, years) <= on:
        return next_day
    return candidate


def full_months_between(start: datetime.date, end: datetime.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return max(months, 0)
