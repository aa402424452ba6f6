"""The consistency checks of a monthly report: the arithmetic, the agreed places, the continuity
with last month, and deaths and missing residents against the incident records (both ways)."""

import datetime
import json
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from incidents.models import Incident, Kind
from inspections.selectors.reports import is_flagged, report_checks
from inspections.services import reports as services
from tests.incidents.factories import figures, file_incident
from tests.inspections.report_helpers import (
    REPORT_TIME,
    balanced,
    build_world_at_report_time,
    file_report,
    line,
)
from tests.shared_state import shared

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 3, 20, 10, 0, tzinfo=SHANGHAI)
JUNE = datetime.date(2025, 6, 1)


@pytest.fixture
@shared(build_world_at_report_time)
def world(_shared_states, db):
    with time_machine.travel(REPORT_TIME, tick=False):
        yield _shared_states.copy(build_world_at_report_time)


def codes(report) -> list[str]:
    return [c.code for c in report_checks([report])[report.pk] if c.level == "mismatch"]


def june_report(world, lines, **kwargs):
    with time_machine.travel(NOW, tick=False):
        return file_report(
            world.institution_a, world.users["institution_user"], JUNE, lines, **kwargs
        )


def incident_in_june(world, kind, day=10, found_on=None, **counts):
    """An incident at institution A that happened in June 2025, filed through the service."""
    with time_machine.travel(datetime.datetime(2025, 6, day, 12, tzinfo=SHANGHAI), tick=False):
        incident = file_incident(world.institution_a, kind=kind, figures=figures(**counts))
    if found_on is not None:
        Incident.objects.filter(pk=incident.pk).update(
            resident_found_at=datetime.datetime.combine(found_on, datetime.time(9), SHANGHAI)
        )
    return incident


def test_figures_that_add_up_and_match_the_incidents_raise_nothing(world):
    report = june_report(world, balanced(elderly=line(15, 2, 1), disabled=line(10)))
    assert codes(report) == []


def test_a_row_that_does_not_add_up_is_flagged_with_the_category_and_the_figures(world):
    report = june_report(world, balanced(elderly=line(15, 2, 1, end=17)))
    checks = report_checks([report])[report.pk]
    assert [c.code for c in checks] == ["arithmetic"]
    assert "老年人" in checks[0].message and "16" in checks[0].message and "17" in checks[0].message


def test_hospital_stays_count_as_out_unless_the_area_says_otherwise(world, settings):
    # 10 + 0 − 0 − 2 (hospital) = 8 when hospital stays are out; 10 when they stay on the roll.
    report = june_report(world, balanced(elderly=line(10, hospital=2, end=10)))
    assert codes(report) == ["arithmetic"]
    settings.AUDIT_RULES_OVERRIDES = json.dumps({"monthly_report_hospital_counts_as_out": False})
    assert codes(report) == []


def test_residents_over_the_agreed_places_are_flagged(world):
    # Institution A's agreement has 30 places.
    report = june_report(world, balanced(elderly=line(25, 6)))
    assert codes(report) == ["over_places"]
    assert "31" in report_checks([report])[report.pk][0].message


def test_a_start_figure_that_differs_from_last_months_end_is_flagged(world):
    june_report(world, balanced(elderly=line(12)))
    with time_machine.travel(NOW, tick=False):
        july = file_report(
            world.institution_a,
            world.users["institution_user"],
            datetime.date(2025, 7, 1),
            balanced(elderly=line(13)),
        )
    assert codes(july) == ["continuity"]


def test_a_death_in_the_report_without_an_incident_record_is_flagged(world):
    report = june_report(world, balanced(elderly=line(15, died=1)))
    assert codes(report) == ["incident_deaths"]
    message = report_checks([report])[report.pk][0].message
    assert "1" in message and "0" in message


def test_a_death_in_the_incident_records_missing_from_the_report_is_flagged(world):
    incident_in_june(world, Kind.DEATH, deaths=1)
    report = june_report(world, balanced(elderly=line(15)))
    assert codes(report) == ["incident_deaths"]


def test_deaths_that_match_the_incident_records_are_not_flagged(world):
    incident_in_june(world, Kind.DEATH, deaths=1)
    # A fire in the same month without deaths adds none.
    incident_in_june(world, Kind.FIRE, day=1, deaths=0)
    report = june_report(world, balanced(elderly=line(15, died=1)))
    assert codes(report) == []


def test_a_missing_resident_in_the_report_without_an_incident_record_is_flagged(world):
    report = june_report(world, balanced(mental_illness=line(5, missing=1)))
    assert codes(report) == ["incident_missing"]


def test_a_missing_resident_in_the_incident_records_missing_from_the_report_is_flagged(world):
    incident_in_june(world, Kind.MISSING, missing_count=1)
    report = june_report(world, balanced(mental_illness=line(5)))
    assert codes(report) == ["incident_missing"]


def test_a_resident_found_within_the_month_is_not_missing_at_its_end(world):
    incident_in_june(world, Kind.MISSING, found_on=datetime.date(2025, 6, 11), missing_count=1)
    incident_in_june(
        world, Kind.MISSING, day=28, found_on=datetime.date(2025, 7, 2), missing_count=1
    )
    report = june_report(world, balanced(mental_illness=line(5, missing=1)))
    assert codes(report) == []


def test_incidents_of_another_institution_do_not_count(world):
    with time_machine.travel(datetime.datetime(2025, 6, 10, 12, tzinfo=SHANGHAI), tick=False):
        file_incident(world.institution_b, kind=Kind.DEATH, figures=figures(deaths=1))
    assert codes(june_report(world, balanced(elderly=line(15)))) == []


def test_a_mismatch_does_not_block_submission_and_is_flagged_until_explained(world, client_for):
    report = june_report(world, balanced(elderly=line(15, died=1)))
    assert report.status == "submitted"
    assert is_flagged(report, report_checks([report])[report.pk])
    page = client_for("station_staff").get(reverse("inspections:report_detail", args=[report.pk]))
    assert "待说明" in page.content.decode()
    with time_machine.travel(NOW, tick=False):
        client_for("institution_user").post(
            reverse("inspections:report_explain", args=[report.pk]),
            {"explanation": "该人员在医院死亡，事故报告已于次月补报"},
        )
    report.refresh_from_db()
    assert report.explanation == "该人员在医院死亡，事故报告已于次月补报"
    assert not is_flagged(report, report_checks([report])[report.pk])
    history = report.history.first()
    assert history.history_change_reason == "已说明不一致原因"


def test_an_empty_explanation_is_refused(world, client_for):
    report = june_report(world, balanced(elderly=line(15, died=1)))
    response = client_for("institution_user").post(
        reverse("inspections:report_explain", args=[report.pk]), {"explanation": "  "}
    )
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.explanation == ""


def test_the_institution_sees_the_checks_before_submitting(world, client_for):
    draft = june_report(world, balanced(elderly=line(15, died=1)), submit=False)
    page = client_for("institution_user").get(reverse("inspections:report_detail", args=[draft.pk]))
    body = page.content.decode()
    assert "submit" in page.context["actions"]
    assert "当月突发事件报告记录 0 人" in body
    assert 'name="explanation"' in body


def test_an_explanation_given_at_submission_clears_the_flag(world):
    draft = june_report(world, balanced(elderly=line(15, died=1)), submit=False)
    with time_machine.travel(NOW, tick=False):
        report = services.report_submit(
            report=draft, actor=world.users["institution_user"], explanation="死亡事件已补报"
        )
    assert codes(report) == ["incident_deaths"]
    assert not is_flagged(report, report_checks([report])[report.pk])


def test_the_checks_of_many_reports_take_a_fixed_number_of_queries(
    world, django_assert_max_num_queries
):
    reports = [june_report(world, balanced(elderly=line(15)))]
    with time_machine.travel(NOW, tick=False):
        for month in (7, 8, 9, 10):
            reports.append(
                file_report(
                    world.institution_a,
                    world.users["institution_user"],
                    datetime.date(2025, month, 1),
                    balanced(elderly=line(15)),
                )
            )
    # Lines, incident figures, resident figures, agreed places, last month's ends.
    with django_assert_max_num_queries(5):
        report_checks(reports)
