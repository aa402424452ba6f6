"""Writes through the API refuse exactly what the pages refuse: the same form, policy and
service answer both. One test per rule family compares the two answers; fields the user may
not set are ignored."""

import datetime

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit_portal.core.evidence import evidence_for
from incidents.models import Incident
from inspections.dates import add_months
from inspections.models import Issue, MonthlyReport, ResidentCategory
from tests.files import png_upload
from tests.incidents.factories import INITIAL, local
from tests.inspections.report_helpers import line

REPORTS = reverse("api:monthly-report-list")
INCIDENTS = reverse("api:incident-list")


# Monthly reports --------------------------------------------------------------------------------


def _month() -> datetime.date:
    # A month the shared world has no report for.
    return add_months(timezone.localdate().replace(day=1), -6)


def _lines(**by_category) -> dict:
    return {category: by_category.get(category, line()) for category in ResidentCategory.values}


def _page_data(lines: dict, staff_on_duty=5) -> dict:
    data = {"staff_on_duty": staff_on_duty, "notes": ""}
    for category, figures in lines.items():
        for name, value in figures.items():
            data[f"{category}__{name}"] = value
    return data


def _file(api, lines: dict, month=None, **extra):
    month = month or _month()
    body = {"month": f"{month:%Y-%m}", "staff_on_duty": 5, "lines": lines, **extra}
    return api("institution_user").post(REPORTS, body, format="json")


def _page_errors(client_for, lines: dict) -> dict:
    response = client_for("institution_user").post(
        reverse("inspections:report_create") + f"?month={_month():%Y-%m}", _page_data(lines)
    )
    assert response.status_code == 400
    return {
        f"lines.{name.replace('__', '.')}": [str(e) for e in errors]
        for name, errors in response.context["form"].errors.items()
    }


def test_the_report_figures_are_refused_as_the_form_refuses_them(world, api, client_for):
    for lines in (
        _lines(elderly=line(10, long_stay=11)),  # more long stays than residents at the end
        _lines(minors=line(-1, end=0)),  # a negative figure
    ):
        page = _page_errors(client_for, lines)
        response = _file(api, lines)
        assert response.status_code == 400
        assert response.json()["fields"] == page
        assert response.json()["code"] == "invalid"
    assert not MonthlyReport.objects.filter(month=_month()).exists()


def test_a_report_that_does_not_add_up_is_filed_and_flagged_as_on_the_page(world, api):
    # Start 10, one admitted, end 9: the checks flag it; neither page nor API refuse it.
    response = _file(api, _lines(elderly=line(10, admitted=1, end=9)))
    assert response.status_code == 201
    report = MonthlyReport.objects.get(pk=response.json()["id"])
    assert report.status == MonthlyReport.Status.SUBMITTED
    assert report.lines.get(category="elderly").end == 9


def test_a_month_not_begun_is_refused(world, api):
    future = add_months(timezone.localdate().replace(day=1), 1)
    response = _file(api, _lines(), month=future)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["month"]
    assert not MonthlyReport.objects.filter(month=future).exists()


def test_a_submitted_report_is_not_filed_again(world, api):
    report = world.monthly_report_a
    response = _file(api, _lines(elderly=line(1)), month=report.month)
    assert response.status_code in (400, 403)
    assert set(response.json()) >= {"code", "message"}
    assert report.lines.get(category="elderly").start != 1


def test_fields_the_institution_may_not_set_change_nothing(world, api):
    response = _file(
        api,
        _lines(),
        institution=world.institution_b.pk,
        status="accepted",
        due_on="2000-01-01",
        submitted_at="2000-01-01T00:00:00Z",
        days_late=0,
    )
    assert response.status_code == 201
    report = MonthlyReport.objects.get(pk=response.json()["id"])
    assert report.institution == world.institution_a
    assert report.status == MonthlyReport.Status.SUBMITTED
    assert report.due_on.year > 2000 and report.submitted_at.year > 2000


def test_only_an_institution_files_a_report(world, api):
    response = api("station_staff").post(
        REPORTS, {"month": "2026-01", "staff_on_duty": 1, "lines": _lines()}, format="json"
    )
    assert response.status_code == 403


# Rectification evidence -------------------------------------------------------------------------


def _html_as_png() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>")


def test_evidence_is_refused_by_the_same_rules_as_on_the_page(world, api, client_for):
    issue = world.issue_a
    page = client_for("institution_user").post(
        reverse("inspections:rectification_submit", args=[issue.pk]),
        {"plan": "已整改", "evidence": [_html_as_png()]},
    )
    page_messages = [str(m) for m in get_messages(page.wsgi_request)]
    response = api("institution_user").post(
        reverse("api:issue-rectify", args=[issue.pk]),
        {"plan": "已整改", "evidence": [_html_as_png()]},
        format="multipart",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "evidence_magic"
    assert [body["message"]] == page_messages
    assert not issue.rectifications.exists()


def test_a_rectification_without_evidence_is_refused_as_by_the_form(world, api, client_for):
    issue = world.issue_a
    page = client_for("institution_user").post(
        reverse("inspections:rectification_submit", args=[issue.pk]), {"plan": "已整改"}
    )
    form_errors = page.context["rectification_form"].errors
    response = api("institution_user").post(
        reverse("api:issue-rectify", args=[issue.pk]), {"plan": "已整改"}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"evidence": [str(e) for e in form_errors["evidence"]]}


def test_the_institution_answers_an_issue_with_evidence(world, api):
    issue = world.issue_a
    response = api(token=world.api_token_institution_raw).post(
        reverse("api:issue-rectify", args=[issue.pk]),
        {"plan": "已更换灭火器", "evidence": [png_upload()], "decision": "accepted"},
        format="multipart",
    )
    assert response.status_code == 201
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SUBMITTED
    rectification = issue.rectifications.get()
    assert rectification.decision == rectification.Decision.PENDING
    assert rectification.submitted_by == world.users["institution_user"]
    assert [e.media_type for e in evidence_for(rectification)] == ["image/png"]


def test_staff_cannot_rectify_and_outsiders_find_no_issue(world, api):
    url = reverse("api:issue-rectify", args=[world.issue_a.pk])
    body = {"plan": "x", "evidence": [png_upload()]}
    assert api("county_a_staff").post(url, body, format="multipart").status_code == 403
    assert api("county_b_staff").post(url, body, format="multipart").status_code == 404


# Incident initial reports -----------------------------------------------------------------------


def _initial(now: datetime.datetime, **extra) -> dict:
    discovered = now - datetime.timedelta(minutes=20)
    return {
        "kind": "injury",
        "occurred_at": discovered - datetime.timedelta(minutes=5),
        "discovered_at": discovered,
        **INITIAL,
        "deaths": 0,
        "serious_injuries": 1,
        "direct_loss": "0",
        "missing_count": 0,
        **extra,
    }


def _as_page(data: dict) -> dict:
    return {k: local(v) if isinstance(v, datetime.datetime) else v for k, v in data.items()}


def _as_api(data: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, datetime.datetime) else v for k, v in data.items()}


def _incident_errors(client_for, api, data: dict) -> tuple[dict, dict]:
    page = client_for("institution_user").post(reverse("incidents:incident_create"), _as_page(data))
    assert page.status_code != 302
    form_errors = {k: [str(e) for e in v] for k, v in page.context["form"].errors.items()}
    response = api("institution_user").post(INCIDENTS, _as_api(data), format="json")
    assert response.status_code == 400
    return form_errors, response.json()["fields"]


def test_incident_times_are_refused_as_the_form_refuses_them(world, api, client_for):
    now = timezone.now().replace(second=0, microsecond=0)
    before = Incident.objects.count()
    in_the_future = _initial(now, occurred_at=now + datetime.timedelta(hours=2))
    in_the_future["discovered_at"] = now + datetime.timedelta(hours=3)
    discovered_first = _initial(now, occurred_at=now - datetime.timedelta(minutes=1))
    for data in (in_the_future, discovered_first):
        page, fields = _incident_errors(client_for, api, data)
        assert fields == page
    assert Incident.objects.count() == before


def test_an_initial_report_without_its_account_is_refused_as_by_the_form(world, api, client_for):
    page, fields = _incident_errors(
        client_for, api, _initial(timezone.now().replace(second=0, microsecond=0), account="")
    )
    assert fields == page and "account" in fields


def test_the_institution_files_an_initial_report_stamped_by_the_server(world, api):
    now = timezone.now()
    body = _as_api(_initial(now))
    body.update(
        reported_at="2020-01-01T00:00:00Z", status="closed", institution=world.institution_b.pk
    )
    response = api(token=world.api_token_institution_raw).post(INCIDENTS, body, format="json")
    assert response.status_code == 201
    incident = Incident.objects.get(pk=response.json()["id"])
    assert incident.institution == world.institution_a
    assert incident.status == Incident.Status.OPEN
    assert abs(incident.reported_at - now) < datetime.timedelta(minutes=1)
    assert [r["stage"] for r in response.json()["reports"]] == ["initial"]


def test_staff_of_a_bureau_file_no_incident(world, api):
    body = _as_api(_initial(timezone.now()))
    assert api("county_a_staff").post(INCIDENTS, body, format="json").status_code == 403
