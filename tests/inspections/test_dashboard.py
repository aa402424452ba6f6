"""The staff risk dashboard: figures against hand-computed ones, the score's parts, scope, the
charts, the home page, and a fixed number of queries however many institutions there are."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import audit_portal.core.web
from incidents.models import Kind
from incidents.selectors import incidents_by_kind_per_month
from inspections.models import DocumentKind, Inspection, Issue
from inspections.selectors.dashboard import (
    dashboard_rows,
    punctuality_by_month,
    summary,
    top_with_summary,
)
from tests.factories import OrganisationFactory, UserFactory
from tests.incidents.factories import figures, file_incident, reporter_for
from tests.inspections.factories import AgreementFactory, InstitutionFactory, make_eligible
from tests.inspections.report_helpers import balanced, file_report, line

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2026, 3, 20)
URL = reverse("inspections:dashboard")


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), SHANGHAI)


@pytest.fixture
def clock():
    with time_machine.travel(at(TODAY), tick=False) as traveller:
        yield traveller


@pytest.fixture
def area(db, clock):
    city = OrganisationFactory(kind="city", name="江海市民政局")
    county = OrganisationFactory(kind="county", parent=city, name="东湖区民政局")
    other = OrganisationFactory(kind="county", parent=city, name="西山县民政局")
    station = OrganisationFactory(kind="station", parent=city, name="江海市救助管理站")
    return {
        "city": city,
        "county": county,
        "other": other,
        "station": station,
        "city_staff": UserFactory(organisation=city),
        "county_staff": UserFactory(organisation=county),
        "other_staff": UserFactory(organisation=other),
    }


def issue(institution, raised_by, number, *, deadline, closed_on=None):
    return Issue.objects.create(
        institution=institution,
        number=number,
        area="fire_safety",
        description="灭火器过期",
        severity="general",
        responsible_person="李四",
        status="closed" if closed_on else "open",
        raised_on=deadline - datetime.timedelta(days=20),
        raised_by=raised_by,
        rectification_days=10,
        original_deadline=deadline,
        deadline=deadline,
        closed_on=closed_on,
    )


def inspection(institution, lead, kind, performed_on, agreement=None, status="final"):
    return Inspection.objects.create(
        institution=institution,
        kind=kind,
        agreement=agreement,
        status=status,
        planned_on=performed_on or TODAY,
        performed_on=performed_on,
        lead=lead,
        created_by=lead,
    )


@pytest.fixture
def small(area, clock):
    """P: eligible, 20 places, two open issues (one overdue) and one closed, inspected on 10
    January, visited on 10 February, reports for January and February but not December, an
    injury on 15 February, a death on 5 March and an old incident in November.
    Q: not eligible (no food licence), no agreement, never inspected."""
    staff = area["county_staff"]
    p = make_eligible(InstitutionFactory(name="甲福利院", county=area["county"]))
    q = make_eligible(
        InstitutionFactory(name="乙颐养院", county=area["county"]), skip={DocumentKind.FOOD_LICENCE}
    )
    agreement = AgreementFactory(
        institution=p,
        station=area["station"],
        agreed_places=20,
        starts_on=datetime.date(2025, 1, 1),
    )
    issue(p, staff, "P-1", deadline=datetime.date(2026, 3, 10))
    issue(p, staff, "P-2", deadline=datetime.date(2026, 4, 10))
    issue(p, staff, "P-3", deadline=datetime.date(2026, 2, 10), closed_on=datetime.date(2026, 2, 9))
    inspection(p, staff, "routine", datetime.date(2026, 1, 10))
    inspection(p, staff, "routine", None, status="planned")
    inspection(p, staff, "monthly_visit", datetime.date(2026, 2, 10), agreement=agreement)
    user = reporter_for(p)
    with time_machine.travel(at(datetime.date(2026, 1, 30)), tick=False):
        file_report(p, user, datetime.date(2026, 1, 1), balanced(elderly=line(20)))
    with time_machine.travel(at(datetime.date(2026, 3, 2)), tick=False):
        file_report(p, user, datetime.date(2026, 2, 1), balanced(elderly=line(20, 1, 1)))
    for day, kind, counts in (
        (datetime.date(2025, 11, 5), Kind.INJURY, {}),
        (datetime.date(2026, 2, 15), Kind.INJURY, {}),
        (datetime.date(2026, 3, 5), Kind.DEATH, {"deaths": 1}),
    ):
        with time_machine.travel(at(day), tick=False):
            file_incident(p, kind=kind, figures=figures(**counts))
    return {"p": p, "q": q}


def test_the_rows_match_hand_computed_figures(area, small):
    rows = dashboard_rows(area["city_staff"], TODAY)
    assert [row.institution.name for row in rows] == ["甲福利院", "乙颐养院"]
    p, q = rows[0].figures, rows[1].figures
    assert p.is_eligible and not q.is_eligible
    assert (p.open_issues, p.overdue_issues) == (2, 1)
    assert p.last_inspection == datetime.date(2026, 1, 10)
    assert p.last_visit == datetime.date(2026, 2, 10)
    assert p.last_report_month == datetime.date(2026, 2, 1)
    # Due months on 20 March: February, January, December; December is missing.
    assert p.missing_reports == 1
    # 90 days back from 20 March: the November injury is out, February and March are in.
    assert (p.incident_count, p.death_count) == (2, 1)
    assert p.residents == 20  # February's end figure
    assert p.incident_rate == pytest.approx(10.0)
    assert (q.open_issues, q.last_inspection, q.missing_reports, q.incident_rate) == (
        0,
        None,
        0,
        None,
    )


def test_the_score_is_the_sum_of_its_shown_parts(area, small):
    p, q = dashboard_rows(area["city_staff"], TODAY)
    assert {part.label: part.points for part in p.parts} == {
        "逾期问题": 10,
        "未销号问题": 4,
        "月报未报": 10,
        "每百人突发事件数": 20,
        "死亡人数": 20,
    }
    assert p.score == 64
    assert {part.label: part.points for part in q.parts} == {
        "不符合条件": 30,
        "180 天内未检查": 10,
    }
    assert q.score == 40


def test_an_unexplained_discrepancy_in_the_last_report_adds_to_the_score(area, small):
    # A death in February that the February report does not show.
    with time_machine.travel(at(datetime.date(2026, 2, 20)), tick=False):
        file_incident(small["p"], kind=Kind.DEATH, figures=figures(deaths=1))
    p = dashboard_rows(area["city_staff"], TODAY)[0]
    assert p.latest_report_flagged
    assert "最近一期月报存在未说明的不一致" in [part.label for part in p.parts]


def test_the_home_panel_reads_its_rows_and_the_scopes_totals_in_one_query(area, small):
    dashboard_rows(area["city_staff"], TODAY)  # the figures counted for today
    with CaptureQueriesContext(connection) as queries:
        rows, totals = top_with_summary(area["city_staff"], TODAY, 1)
    # Whether any row is out of date (none is), then the top row with the totals of them all.
    assert len(queries) == 2
    assert [row.institution.name for row in rows] == ["甲福利院"]
    assert totals == summary(area["city_staff"], TODAY)
    assert (totals["institutions"], totals["ineligible"], totals["overdue_issues"]) == (2, 1, 1)
    assert (totals["incidents"], totals["deaths"], totals["outdated"]) == (2, 1, False)
    assert top_with_summary(area["other_staff"], TODAY, 1) == (
        [],
        summary(area["other_staff"], TODAY),
    )


def test_each_bureau_sees_its_own_institutions(area, small):
    assert len(dashboard_rows(area["county_staff"], TODAY)) == 2
    assert dashboard_rows(area["other_staff"], TODAY) == []


def test_the_charts_count_incidents_by_kind_and_report_punctuality(area, small):
    months = incidents_by_kind_per_month(area["city_staff"], 6, TODAY)
    assert [row["month"] for row in months][-1] == datetime.date(2026, 3, 1)
    totals = {row["month"]: row["total"] for row in months}
    assert totals[datetime.date(2025, 11, 1)] == 1
    assert totals[datetime.date(2026, 2, 1)] == 1
    assert totals[datetime.date(2026, 3, 1)] == 1
    march = months[-1]["segments"]
    assert [(s["kind"], s["count"], s["share"]) for s in march] == [(Kind.DEATH, 1, 100.0)]
    punctuality = {row["month"]: row for row in punctuality_by_month(area["city_staff"], 3, TODAY)}
    feb, jan, dec = (
        punctuality[datetime.date(y, m, 1)] for y, m in ((2026, 2), (2026, 1), (2025, 12))
    )
    # February was sent on 2 March: two days late.
    assert (feb["owed"], feb["on_time"], feb["late"], feb["missing"]) == (1, 0, 1, 0)
    assert (jan["owed"], jan["on_time"], jan["late"], jan["missing"]) == (1, 1, 0, 0)
    assert (dec["owed"], dec["on_time"], dec["late"], dec["missing"]) == (1, 0, 0, 1)


def test_the_page_shows_the_rows_and_the_charts(area, small, client):
    client.force_login(area["city_staff"])
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("甲福利院") < body.index("乙颐养院")
    assert "每月新增与销号问题数" in body and "月报报送及时情况" in body
    assert [row.score for row in response.context["rows"]] == [64, 40]


def test_city_staff_see_the_dashboard_on_their_home_page(area, small, client):
    client.force_login(area["city_staff"])
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert "优先关注" in body and "甲福利院" in body
    assert body.index("优先关注") < body.index("即将到期")


def build(area, count: int, start: int = 0) -> None:
    """``count`` institutions with an agreement, an overdue issue, a visit, a report and an
    incident each: every subquery of the dashboard has rows to find."""
    for index in range(start, start + count):
        institution = InstitutionFactory(name=f"机构{index:03d}", county=area["county"])
        agreement = AgreementFactory(institution=institution, station=area["station"])
        issue(institution, area["county_staff"], f"N-{index}", deadline=datetime.date(2026, 3, 1))
        inspection(institution, area["county_staff"], "monthly_visit", TODAY, agreement=agreement)
        file_report(institution, reporter_for(institution), datetime.date(2026, 2, 1))
        file_incident(institution, kind=Kind.INJURY)


def dashboard_queries(client) -> tuple[int, int]:
    """Rows shown and queries of the page once every figure is counted (the first request
    after the records changed recounts them)."""
    client.get(URL)
    with CaptureQueriesContext(connection) as context:
        response = client.get(URL)
    assert response.status_code == 200
    return len(response.context["rows"]), len(context.captured_queries)


def test_the_dashboard_takes_the_same_number_of_queries_for_5_and_50_institutions(
    area, client, monkeypatch
):
    monkeypatch.setattr(audit_portal.core.web, "PAGE_SIZE", 10)
    client.force_login(area["city_staff"])
    build(area, 5)
    rows, five = dashboard_queries(client)
    assert rows == 5
    build(area, 45, start=5)
    rows, fifty = dashboard_queries(client)
    assert rows == 10
    assert fifty == five


def test_the_home_panel_takes_the_same_number_of_queries_for_5_and_50_institutions(area, client):
    from inspections.selectors.dashboard import dashboard_panel

    build(area, 5)
    dashboard_panel(area["city_staff"])
    with CaptureQueriesContext(connection) as five:
        dashboard_panel(area["city_staff"])
    build(area, 45, start=5)
    dashboard_panel(area["city_staff"])
    with CaptureQueriesContext(connection) as fifty:
        panel = dashboard_panel(area["city_staff"])
    assert len(panel["rows"]) == 8
    assert panel["more"] == 50 - len(panel["rows"])
    assert len(fifty.captured_queries) == len(five.captured_queries)
