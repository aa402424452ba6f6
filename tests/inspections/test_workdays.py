import datetime

import pytest

from inspections.models import WorkCalendarDay, WorkCalendarYear
from inspections.workdays import add_working_days, working_days_between

pytestmark = pytest.mark.django_db


def test_it_skips_national_day_week_and_counts_the_make_up_saturday():
    # DOMAIN "Counting": 5 working days from Mon 2026-09-28 end on Sat 2026-10-10 (调休).
    deadline = add_working_days(datetime.date(2026, 9, 28), 5)
    assert deadline.day == datetime.date(2026, 10, 10)
    assert deadline.official


def test_the_day_of_the_event_does_not_count():
    assert add_working_days(datetime.date(2026, 3, 2), 1).day == datetime.date(2026, 3, 3)


def test_a_friday_event_with_one_working_day_is_due_monday():
    assert add_working_days(datetime.date(2026, 3, 6), 1).day == datetime.date(2026, 3, 9)


def test_zero_days_is_the_same_day():
    assert add_working_days(datetime.date(2026, 3, 6), 0).day == datetime.date(2026, 3, 6)


def test_a_year_without_official_data_counts_weekdays_and_says_so():
    deadline = add_working_days(datetime.date(2026, 12, 28), 5)
    # 29, 30, 31 Dec 2026 are official; 2027 is not covered: 1 Jan (Fri) counts as a weekday.
    assert deadline.day == datetime.date(2027, 1, 4)
    assert not deadline.official
    assert deadline.unofficial_years == (2027,)


def test_the_admin_table_supplies_a_year_the_package_does_not_know():
    year = WorkCalendarYear.objects.create(year=2027, source="国办发明电〔2026〕X号")
    WorkCalendarDay.objects.create(year=year, day=datetime.date(2027, 1, 1), is_workday=False)
    deadline = add_working_days(datetime.date(2026, 12, 28), 5)
    assert deadline.day == datetime.date(2027, 1, 5)
    assert deadline.official


def test_an_admin_entry_overrides_the_package():
    year = WorkCalendarYear.objects.create(year=2026, source="更正")
    WorkCalendarDay.objects.create(year=year, day=datetime.date(2026, 3, 3), is_workday=False)
    assert add_working_days(datetime.date(2026, 3, 2), 1).day == datetime.date(2026, 3, 4)


def test_the_countdown_is_negative_once_the_deadline_has_passed():
    assert working_days_between(datetime.date(2026, 9, 28), datetime.date(2026, 10, 10)) == 5
    assert working_days_between(datetime.date(2026, 10, 10), datetime.date(2026, 9, 28)) == -5
    assert working_days_between(datetime.date(2026, 9, 28), datetime.date(2026, 9, 28)) == 0
