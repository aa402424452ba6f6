"""Due dates, punctuality and the late-and-missing list, with a frozen clock."""

import datetime
import json
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from inspections.models import MonthlyReport
from inspections.models.reports import due_date, last_due_month
from inspections.selectors.reports import late_and_missing
from tests.inspections.factories import AgreementFactory, InstitutionFactory, make_eligible
from tests.inspections.report_helpers import REPORT_TIME, build_world_at_report_time, file_report
from tests.shared_state import shared

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
LATE = reverse("inspections:report_late")


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), SHANGHAI)


@pytest.fixture
@shared(build_world_at_report_time)
def world(_shared_states, db):
    with time_machine.travel(REPORT_TIME, tick=False):
        yield _shared_states.copy(build_world_at_report_time)


def test_a_report_is_due_on_the_last_day_of_its_month():
    assert due_date(datetime.date(2026, 2, 1)) == datetime.date(2026, 2, 28)
    assert due_date(datetime.date(2028, 2, 1)) == datetime.date(2028, 2, 29)
    assert due_date(datetime.date(2026, 4, 1)) == datetime.date(2026, 4, 30)


def test_an_area_may_set_the_day_and_give_until_the_next_month(settings):
    settings.AUDIT_RULES_OVERRIDES = json.dumps({"monthly_report_due_day": 25})
    assert due_date(datetime.date(2026, 2, 1)) == datetime.date(2026, 2, 25)
    settings.AUDIT_RULES_OVERRIDES = json.dumps(
        {"monthly_report_due_day": 5, "monthly_report_due_month_offset": 1}
    )
    assert due_date(datetime.date(2026, 1, 1)) == datetime.date(2026, 2, 5)
    settings.AUDIT_RULES_OVERRIDES = json.dumps({"monthly_report_due_day": 31})
    assert due_date(datetime.date(2026, 2, 1)) == datetime.date(2026, 2, 28)


def test_the_last_due_month_counts_the_due_day_as_still_open():
    assert last_due_month(datetime.date(2026, 3, 31)) == datetime.date(2026, 2, 1)
    assert last_due_month(datetime.date(2026, 4, 1)) == datetime.date(2026, 3, 1)


def submit_at(world, month, when):
    with time_machine.travel(when, tick=False):
        return file_report(world.institution_a, world.users["institution_user"], month)


def test_a_report_sent_on_its_due_day_is_on_time_and_the_next_day_one_day_late(world):
    on_time = submit_at(world, datetime.date(2025, 6, 1), at(datetime.date(2025, 6, 30), 23))
    late = submit_at(world, datetime.date(2025, 7, 1), at(datetime.date(2025, 8, 1), 0))
    assert (on_time.days_late, on_time.is_late) == (0, False)
    assert (late.days_late, late.is_late) == (1, True)


def test_a_resubmission_after_a_return_keeps_the_first_submission_punctuality(world):
    from inspections.services.reports import report_review, report_submit

    report = submit_at(world, datetime.date(2025, 6, 1), at(datetime.date(2025, 6, 30)))
    report_review(report=report, actor=world.users["station_staff"], accept=False, reason="请核对")
    with time_machine.travel(at(datetime.date(2025, 8, 15)), tick=False):
        report = report_submit(report=report, actor=world.users["institution_user"])
    assert report.days_late == 0
    assert report.first_submitted_at == at(datetime.date(2025, 6, 30))
    assert report.submitted_at == at(datetime.date(2025, 8, 15))


def test_the_late_list_shows_missing_and_late_reports_of_the_last_months(world, settings):
    # On 20 March 2026 the due months are February, January and December. The world has
    # February (on time) and January (accepted) for A; December was never sent. C, in county
    # A with an agreement, sent January late and nothing else; B has no agreement.
    c = make_eligible(InstitutionFactory(name="东湖区康乐老年公寓", county=world.county_a))
    AgreementFactory(station=world.station, institution=c, starts_on=datetime.date(2026, 1, 1))
    from tests.incidents.factories import reporter_for

    with time_machine.travel(at(datetime.date(2026, 2, 3)), tick=False):
        file_report(c, reporter_for(c), datetime.date(2026, 1, 1))
    with time_machine.travel(at(datetime.date(2026, 3, 20)), tick=False):
        rows = late_and_missing(world.users["city_staff"], datetime.date(2026, 3, 20))
    seen = [(r.month, r.institution.name, r.is_missing, r.days_late) for r in rows]
    assert seen == [
        (datetime.date(2026, 2, 1), "东湖区康乐老年公寓", True, 20),
        (datetime.date(2026, 1, 1), "东湖区康乐老年公寓", False, 3),
        (datetime.date(2025, 12, 1), "东湖区社会福利院", True, 79),
    ]
    # County B sees none of them; the station sees what it places.
    assert late_and_missing(world.users["county_b_staff"], datetime.date(2026, 3, 20)) == []
    station = late_and_missing(world.users["station_staff"], datetime.date(2026, 3, 20))
    assert len(station) == 3


def test_a_draft_not_sent_is_missing(world):
    with time_machine.travel(at(datetime.date(2026, 4, 2)), tick=False):
        rows = late_and_missing(world.users["county_a_staff"], datetime.date(2026, 4, 2))
        march = [r for r in rows if r.month == datetime.date(2026, 3, 1)]
    assert len(march) == 1 and march[0].is_missing
    assert march[0].report == world.draft_monthly_report_a


def test_the_late_page_lists_them_for_staff(world, client_for):
    with time_machine.travel(at(datetime.date(2026, 3, 20)), tick=False):
        response = client_for("county_a_staff").get(LATE)
    assert response.status_code == 200
    assert [r.month for r in response.context["rows"]] == [datetime.date(2025, 12, 1)]
    assert "未报，已逾期 79 天" in response.content.decode()


def test_the_world_reports_are_on_time(world):
    assert set(MonthlyReport.objects.values_list("days_late", flat=True)) == {0}
