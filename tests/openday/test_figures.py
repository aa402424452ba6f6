"""Each figure of the summary against data whose counts are known by hand.

Period: 19 June 2025 to 18 June 2026 (the 12 months before the 2026 open day)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit_portal.accounts.models import Organisation, User
from inspections.models import Placement
from openday import figures
from openday.services import default_period
from supervisors.models import Complaint, Suggestion
from tests.factories import OrganisationFactory, UserFactory
from tests.inspections.factories import AgreementFactory, InstitutionFactory
from tests.openday.factories import incident, inspection, issue
from tests.supervisors.factories import SupervisorFactory, TermFactory

START, END = datetime.date(2025, 6, 19), datetime.date(2026, 6, 18)
D = datetime.date


@pytest.fixture
def data(db):
    city = OrganisationFactory(kind=Organisation.Kind.CITY)
    county = OrganisationFactory(kind=Organisation.Kind.COUNTY, parent=city)
    station = OrganisationFactory(kind=Organisation.Kind.STATION, parent=city)
    staff = UserFactory(organisation=county)
    sup_user = UserFactory(role=User.Role.SUPERVISOR, organisation=None)
    supervisor = SupervisorFactory(user=sup_user)
    TermFactory(supervisor=supervisor, starts_on=D(2024, 1, 1))
    a = InstitutionFactory(county=county, bed_capacity=100)
    b = InstitutionFactory(county=county, bed_capacity=50)
    # A candidate never approved and never under agreement: not in the summary.
    InstitutionFactory(county=county, status="candidate")
    agreement = AgreementFactory(
        institution=a,
        station=station,
        starts_on=D(2025, 1, 1),
        ends_on=D(2027, 12, 31),
        agreed_places=30,
    )
    AgreementFactory(  # ended before the period's last day: its places do not count
        institution=a,
        station=station,
        starts_on=D(2024, 1, 1),
        ends_on=D(2025, 12, 31),
        agreed_places=10,
        status="ended",
    )
    for day, people, category in [
        (D(2025, 7, 1), 4, "elderly"),
        (D(2026, 3, 1), 2, "disabled"),
        (D(2026, 6, 19), 9, "elderly"),  # the open day itself: outside
        (D(2025, 6, 18), 9, "elderly"),  # the day before the period: outside
    ]:
        Placement.objects.create(
            agreement=agreement, starts_on=day, people=people, category=category, created_by=staff
        )
    # Inspections: 3 held at A (one by a supervisor in the team, one a supervisor visit led
    # by the supervisor), one planned (not held), one performed outside the period.
    routine = inspection(a, staff, performed_on=D(2025, 9, 1))
    inspection(a, staff, performed_on=D(2026, 1, 10), kind="unannounced", team=[sup_user])
    inspection(a, sup_user, performed_on=D(2026, 6, 18), kind="supervisor_visit")
    inspection(a, staff, performed_on=None, status="planned")
    inspection(a, staff, performed_on=D(2026, 6, 19))
    inspection(b, staff, performed_on=D(2025, 12, 1), kind="campaign")
    # Issues at A: 5 in the period.
    issue(
        a,
        staff,
        raised_on=D(2025, 9, 1),
        inspection=routine,
        deadline=D(2025, 10, 1),
        closed_on=D(2025, 9, 20),
    )  # on time
    issue(
        a,
        staff,
        raised_on=D(2025, 9, 1),
        area="hygiene",
        severity="serious",
        deadline=D(2025, 10, 1),
        closed_on=D(2025, 10, 5),
    )  # late
    issue(
        a,
        sup_user,
        raised_on=D(2026, 1, 10),
        area="hygiene",
        severity="major",
        deadline=D(2026, 2, 1),
    )  # open
    issue(
        a, sup_user, raised_on=D(2026, 6, 1), deadline=D(2026, 6, 30), closed_on=D(2026, 6, 25)
    )  # closed after the period: not rectified by its end
    issue(
        a,
        staff,
        raised_on=D(2026, 6, 18),
        area="daily_care",
        deadline=D(2026, 6, 18),
        closed_on=D(2026, 6, 18),
    )  # closed on the deadline, the last day: on time
    issue(a, staff, raised_on=D(2025, 6, 18))  # before the period
    # Issues at B: 1.
    issue(
        b,
        staff,
        raised_on=D(2026, 2, 2),
        area="food_drug",
        deadline=D(2026, 3, 1),
        closed_on=D(2026, 2, 20),
    )
    # Incidents: at A two in the period (one a death), one outside.
    incident(a, staff, occurred=D(2025, 8, 8))
    incident(a, staff, occurred=D(2026, 6, 18), kind="death", grade=2, deaths=3)
    incident(a, staff, occurred=D(2026, 6, 19))
    Complaint.objects.create(
        supervisor=supervisor, institution=a, received_on=D(2026, 3, 3), summary="伙食"
    )
    Complaint.objects.create(
        supervisor=supervisor, institution=a, received_on=D(2025, 1, 3), summary="旧"
    )
    Suggestion.objects.create(
        supervisor=supervisor, institution=b, made_on=D(2026, 4, 4), text="增加活动"
    )
    return {"a": a, "b": b}


def test_the_default_period_is_the_twelve_months_before_the_open_day():
    assert default_period(2026) == (START, END)


def _rows(data):
    area, rows = figures.compute(START, END)
    by_pk = {row["institution"].pk: row["figures"] for row in rows}
    return area, by_pk


def test_institutions_and_places(data):
    area, rows = _rows(data)
    assert set(rows) == {data["a"].pk, data["b"].pk}
    assert rows[data["a"].pk]["beds"] == 100
    assert rows[data["a"].pk]["agreed_places"] == 30
    assert area["institutions"] == 2
    assert area["beds"] == 150
    assert area["agreed_places"] == 30


def test_residents_placed_in_the_period_by_category(data):
    area, rows = _rows(data)
    a = rows[data["a"].pk]
    assert a["residents_placed"] == 6
    assert a["residents_by_category"] == {"elderly": 4, "disabled": 2}
    assert area["residents_placed"] == 6


def test_inspections_held_by_kind(data):
    area, rows = _rows(data)
    a = rows[data["a"].pk]
    assert a["inspections"] == 3
    assert a["inspections_by_kind"] == {"routine": 1, "unannounced": 1, "supervisor_visit": 1}
    assert area["inspections"] == 4
    assert area["inspections_by_kind"]["campaign"] == 1


def test_issues_by_area_and_severity(data):
    area, rows = _rows(data)
    a = rows[data["a"].pk]
    assert a["issues"] == 5
    assert a["issues_by_area"] == {
        "fire_safety": {"general": 2},
        "hygiene": {"serious": 1, "major": 1},
        "daily_care": {"general": 1},
    }
    assert a["issues_by_severity"] == {"general": 3, "serious": 1, "major": 1}
    assert area["issues"] == 6
    assert area["issues_by_area"]["food_drug"] == {"general": 1}


def test_rectified_and_rectified_on_time(data):
    area, rows = _rows(data)
    a = rows[data["a"].pk]
    assert a["rectified"] == 3  # closed by 18 June 2026
    assert a["rectified_on_time"] == 2  # the late one does not count
    assert area["rectified"] == 4
    assert area["rectified_on_time"] == 3
    assert figures.share(a["rectified"], a["issues"]) == 60.0
    assert figures.share(a["rectified_on_time"], a["issues"]) == 40.0


def test_incidents_by_kind_and_grade(data):
    area, rows = _rows(data)
    a = rows[data["a"].pk]
    assert a["incidents"] == 2
    assert a["deaths"] == 3
    assert a["incidents_by_kind"] == {"injury": 1, "death": 1}
    assert a["incidents_by_grade"] == {"1": 1, "2": 1}
    assert area["incidents"] == 2


def test_supervisor_activity(data):
    area, rows = _rows(data)
    a, b = rows[data["a"].pk], rows[data["b"].pk]
    assert a["supervisor_visits"] == 2
    assert a["supervisor_issues"] == 2
    assert a["complaints_forwarded"] == 1
    assert b["suggestions"] == 1
    assert area["supervisors"] == 1


def test_the_figures_take_a_fixed_number_of_queries(data):
    with CaptureQueriesContext(connection) as few:
        figures.compute(START, END)
    for _ in range(5):
        InstitutionFactory(county=data["a"].county)
    with CaptureQueriesContext(connection) as more:
        figures.compute(START, END)
    assert len(more) == len(few) <= 10


def _report(institution, month, first_submitted=True, **lines):
    from django.utils import timezone

    from inspections.models.reports import MonthlyReport, MonthlyReportLine

    report = MonthlyReport.objects.create(
        institution=institution,
        month=month,
        status="accepted" if first_submitted else "draft",
        due_on=month,
        first_submitted_at=timezone.now() if first_submitted else None,
        created_by=UserFactory(),
    )
    for category, (admitted, end) in lines.items():
        MonthlyReportLine.objects.create(
            report=report, category=category, start=end - admitted, admitted=admitted, end=end
        )
    return report


def test_residents_admitted_and_in_care_from_the_monthly_reports(data):
    a = data["a"]
    _report(a, D(2025, 5, 1), elderly=(7, 20))  # before the period
    _report(a, D(2025, 6, 1), elderly=(1, 14))  # the period's first month counts
    _report(a, D(2026, 4, 1), elderly=(2, 16), disabled=(1, 5))
    _report(a, D(2026, 5, 1), elderly=(0, 15), disabled=(0, 5))  # the latest reported month
    _report(a, D(2026, 6, 1), first_submitted=False, elderly=(9, 99))  # a draft: not reported
    area, rows = _rows(data)
    assert rows[a.pk]["residents_admitted"] == 4
    assert rows[a.pk]["residents_in_care"] == 20
    assert rows[data["b"].pk]["residents_in_care"] == 0
    assert area["residents_in_care"] == 20
