"""The placing station's review, amendments after acceptance, and the Excel ledger."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.http import content_disposition_header
from openpyxl import load_workbook

from audit_portal.core.history import MissingChangeReason
from audit_portal.core.models import GeneratedFile
from inspections.exports_reports import ledger_filename
from inspections.models import MonthlyReport
from inspections.services import reports as services
from tests.file_jobs import download, post_and_build

pytestmark = pytest.mark.django_db


def review_url(report):
    return reverse("inspections:report_review", args=[report.pk])


def amend_data(report, **overrides) -> dict:
    data = {"staff_on_duty": report.staff_on_duty, "notes": report.notes, "explanation": ""}
    for line in report.lines.all():
        for name in ("start", "admitted", "discharged", "hospital", "died", "missing", "end"):
            data[f"{line.category}__{name}"] = getattr(line, name)
        data[f"{line.category}__long_stay"] = line.long_stay
    data.update(overrides)
    return data


def test_the_placing_station_accepts_a_report(world, client_for):
    report = world.monthly_report_a
    response = client_for("station_staff").post(review_url(report), {"decision": "accept"})
    report.refresh_from_db()
    assert response.status_code == 302
    assert report.status == "accepted"
    assert report.reviewed_by == world.users["station_staff"] and report.reviewed_at
    assert report.history.first().history_change_reason == "送托救助管理站审核通过"


def test_a_return_needs_a_reason_and_shows_it_to_the_institution(world, client_for):
    report = world.monthly_report_a
    refused = client_for("station_staff").post(review_url(report), {"decision": "return"})
    assert refused.status_code == 400
    report.refresh_from_db()
    assert report.status == "submitted"
    client_for("station_staff").post(
        review_url(report), {"decision": "return", "reason": "老年人新入院人数与名册不符"}
    )
    report.refresh_from_db()
    assert report.status == "returned" and report.return_reason == "老年人新入院人数与名册不符"
    page = client_for("institution_user").get(
        reverse("inspections:report_detail", args=[report.pk])
    )
    assert "老年人新入院人数与名册不符" in page.content.decode()
    assert "submit" in page.context["actions"]
    edit = client_for("institution_user").get(reverse("inspections:report_edit", args=[report.pk]))
    assert edit.status_code == 200


def test_bureaus_read_but_do_not_review(world, client_for):
    report = world.monthly_report_a
    for persona in ("city_staff", "county_a_staff"):
        response = client_for(persona).post(review_url(report), {"decision": "accept"})
        assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.report_review(report=report, actor=world.users["city_staff"], accept=True)
    report.refresh_from_db()
    assert report.status == "submitted"


def test_an_accepted_report_is_not_reviewed_again(world):
    with pytest.raises(ValidationError):
        services.report_review(
            report=world.accepted_monthly_report_a, actor=world.users["station_staff"], accept=True
        )


def test_an_amendment_changes_the_figures_with_a_reason_and_goes_back_for_review(world, client_for):
    report = world.accepted_monthly_report_a
    url = reverse("inspections:report_amend", args=[report.pk])
    client = client_for("institution_user")
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["elderly__end"].value() == 15
    refused = client.post(url, amend_data(report, elderly__discharged=2, elderly__end=14))
    assert refused.status_code == 400
    assert refused.context["form"].errors["reason"]
    report.refresh_from_db()
    assert report.lines.get(category="elderly").end == 15
    response = client.post(
        url,
        amend_data(report, elderly__discharged=2, elderly__end=14, reason="漏报一名返乡人员"),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    elderly = report.lines.get(category="elderly")
    assert (elderly.discharged, elderly.end) == (2, 14)
    assert report.status == "submitted"
    assert report.amendment_count == 1 and report.amendment_reason == "漏报一名返乡人员"
    # The accepted figures stay in the history, with the reason.
    before = elderly.history.order_by("history_date")
    assert [h.end for h in before] == [15, 14]
    assert before.last().history_change_reason == "更正：漏报一名返乡人员"
    # Punctuality is the first submission's.
    assert report.days_late == 0


def test_only_an_accepted_report_is_amended(world):
    with pytest.raises(ValidationError):
        services.report_amend(
            report=world.monthly_report_a,
            actor=world.users["institution_user"],
            reason="更正",
            lines={},
            staff_on_duty=1,
        )


def test_a_report_cannot_be_changed_without_a_reason_whatever_the_path(world):
    report = world.monthly_report_a
    report.notes = "悄悄修改"
    with pytest.raises(MissingChangeReason):
        report.save()


def test_the_excel_ledger_has_a_row_per_report_and_per_category(world, client_for):
    url = reverse("inspections:report_export")
    first = world.accepted_monthly_report_a.month
    last = world.monthly_report_a.month
    client = client_for("city_staff")
    response, job = post_and_build(client, f"{url}?first={first:%Y-%m}&last={last:%Y-%m}")
    assert response.status_code == 302
    assert "Excel" in job.title and job.owner == world.users["city_staff"]
    assert job.parameters["filters"] == {"first": f"{first:%Y-%m}", "last": f"{last:%Y-%m}"}
    done = client.get(reverse("files:download", args=[job.pk]))
    assert done["Content-Type"].startswith("application/vnd.openxmlformats")
    # A Chinese name, sent RFC 5987-encoded (test_report_ledger_missing).
    assert done["Content-Disposition"] == content_disposition_header(
        True, ledger_filename(first, last)
    )
    book = load_workbook(io.BytesIO(b"".join(done.streaming_content)))
    summary, details, _about = book.worksheets
    rows = list(summary.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in rows] == [
        (f"{last:%Y-%m}", "东湖区社会福利院"),
        (f"{first:%Y-%m}", "东湖区社会福利院"),
    ]
    header = [c.value for c in summary[1]]
    assert rows[0][header.index("月末在院")] == 30
    assert details.max_row == 1 + 2 * 4
    # County B exports nothing of A's; the draft never appears.
    other_client = client_for("county_b_staff")
    _response, other = post_and_build(other_client, f"{url}?first={first:%Y-%m}&last=2030-12")
    assert load_workbook(io.BytesIO(download(other_client, other))).worksheets[0].max_row == 1
    assert not any(
        r[0] == f"{world.draft_monthly_report_a.month:%Y-%m}"
        for r in summary.iter_rows(min_row=2, values_only=True)
    )
    assert MonthlyReport.objects.count() == 3


def test_the_excel_ledger_keeps_the_period_the_list_showed(world, client_for):
    """Without a period the list shows the last month due; the export is of those months even
    if the worker builds it after the month has turned."""
    _response, job = post_and_build(client_for("city_staff"), reverse("inspections:report_export"))
    filters = job.parameters["filters"]
    assert filters["first"] == filters["last"]


def test_a_period_that_does_not_hold_is_sent_back_and_nothing_is_exported(world, client_for):
    query = "?first=2026-05&last=2026-01"
    response = client_for("city_staff").post(reverse("inspections:report_export") + query)
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:report_list") + query
    assert not GeneratedFile.objects.filter(kind="inspections.report_ledger").exists()


def test_the_excel_ledger_is_refused_to_institutions_and_supervisors(world, client_for):
    url = reverse("inspections:report_export")
    for persona in ("institution_user", "supervisor"):
        assert client_for(persona).post(url).status_code == 403
    assert client_for("city_staff").get(url).status_code == 405
    assert not GeneratedFile.objects.filter(kind="inspections.report_ledger").exists()


def test_the_station_home_lists_the_reports_waiting_for_its_review(world, client_for):
    report = world.monthly_report_a
    home = client_for("station_staff").get("/")
    panel = next(p for p in home.context["panels"] if "review_panel" in p["template"])
    assert panel["context"]["count"] == 1
    assert panel["context"]["reports"] == [report]
    assert reverse("inspections:report_detail", args=[report.pk]) in home.content.decode()
    # The link to the full list starts at the oldest waiting month, so none is left out.
    listing = client_for("station_staff").get(
        reverse("inspections:report_list"),
        {"status": "submitted", "first": report.month.strftime("%Y-%m")},
    )
    assert report in listing.context["page"].object_list

    services.report_review(report=report, actor=world.users["station_staff"], accept=True)
    home = client_for("station_staff").get("/")
    panel = next(p for p in home.context["panels"] if "review_panel" in p["template"])
    assert panel["context"] == {"count": 0, "reports": [], "since": None}


def test_bureaus_and_institutions_have_no_review_panel(world, client_for):
    for persona in ("county_a_staff", "institution_user", "supervisor"):
        home = client_for(persona).get("/")
        assert not [p for p in home.context["panels"] if "review_panel" in p["template"]]
