"""The ledger's Excel export, built by the worker: exactly the filtered rows, Chinese headers,
dates as dates, with the requester's scope checked again when it is built."""

import datetime
import io

import pytest
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from audit_portal.core.models import GeneratedFile
from inspections import exports
from inspections.selectors.inspections import issues_for, ledger_filter
from tests.file_jobs import download, post_and_build
from tests.inspections.ledger_helpers import at, build_world_on_monday, frozen_clock, raise_issue
from tests.shared_state import shared

URL = reverse("inspections:issue_ledger_export")


def django_capture():
    return TestCase.captureOnCommitCallbacks()


@pytest.fixture
def clock():
    with frozen_clock() as traveller:
        yield traveller


@pytest.fixture
@shared(build_world_on_monday)
def world(clock, _shared_states, db):
    return _shared_states.copy(build_world_on_monday)


def export(client, query: str = "") -> bytes:
    """Ask for the export from the ledger's button and download it once the worker built it."""
    response, job = post_and_build(client, URL + query)
    assert response.status_code == 302
    assert response["Location"] == reverse("files:detail", args=[job.pk])
    assert job.status == GeneratedFile.Status.DONE, job.error
    return download(client, job)


def sheet_rows(content: bytes) -> list[dict]:
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_export_is_an_xlsx_attachment_built_by_the_worker(world, client_for):
    client = client_for("county_a_staff")
    response, job = post_and_build(client, URL + "?severity=general")
    assert response.status_code == 302
    assert (job.owner, job.kind) == (world.users["county_a_staff"], exports.KIND)
    assert job.parameters == {"filters": {"severity": "general"}, "on": "2026-09-28"}
    assert job.criteria == [["严重程度", "一般"]] or job.criteria == [["Severity", "General"]]
    response = client.get(reverse("files:download", args=[job.pk]))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="issue-ledger-20260928.xlsx"'


def test_a_get_exports_nothing(world, client_for):
    assert client_for("county_a_staff").get(URL).status_code == 405
    assert not GeneratedFile.objects.filter(kind=exports.KIND).exists()


def test_filters_that_do_not_validate_are_sent_back_and_nothing_is_queued(world, client_for):
    response = client_for("county_a_staff").post(URL + "?due_within=-5&area=fire_safety")
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:issue_ledger") + (
        "?due_within=-5&area=fire_safety"
    )
    assert not GeneratedFile.objects.filter(kind=exports.KIND).exists()


def test_the_scope_is_checked_again_when_the_file_is_built(world, client_for):
    staff = world.users["county_a_staff"]
    client = client_for("county_a_staff")
    with django_capture() as queued:
        client.post(URL + f"?institution={world.institution_a.pk}")
    # Before the worker gets to it, the user moves to the other county.
    staff.organisation = world.county_b
    staff.save()
    for callback in queued:
        callback()
    job = GeneratedFile.objects.get(kind=exports.KIND)
    assert job.status == GeneratedFile.Status.FAILED
    assert not job.file and job.error


def test_progress_is_reported_a_batch_at_a_time(world, client_for, monkeypatch):
    staff = world.users["county_a_staff"]
    raise_issue(world.institution_a, staff)
    raise_issue(world.institution_a, staff, area="hygiene")
    monkeypatch.setattr(exports, "BATCH", 3)
    advances = []
    original = exports.Progress.advance
    monkeypatch.setattr(
        exports.Progress, "advance", lambda self, n=1: advances.append(n) or original(self, n)
    )
    _response, job = post_and_build(client_for("county_a_staff"), URL)
    assert advances == [3, 1]
    assert (job.done, job.total) == (4, 4)


def test_the_rows_match_the_filter_exactly(world, client_for, clock):
    staff = world.users["county_a_staff"]
    raise_issue(world.institution_a, staff, severity="major")
    raise_issue(world.institution_a, staff, area="hygiene", description="厨房未做消毒记录")
    clock.move_to(at(datetime.date(2026, 10, 12)))
    query = "?status=unclosed&severity=major"
    client = client_for("county_a_staff")
    exported = [row["编号"] for row in sheet_rows(export(client, query))]
    expected = ledger_filter(
        issues_for(staff), on=datetime.date(2026, 10, 12), status="unclosed", severity="major"
    )
    assert exported == [issue.number for issue in expected]
    assert len(exported) == 1
    # The page shows the same issues for the same query string, in the same order.
    page = client.get(reverse("inspections:issue_ledger") + query)
    assert [row.issue.number for row in page.context["rows"]] == exported
    everything = [row["编号"] for row in sheet_rows(export(client))]
    assert everything == [issue.number for issue in issues_for(staff)]
    assert len(everything) == 4


def test_headers_are_chinese_frozen_and_dates_are_dates(world, client_for, clock):
    urgent = raise_issue(world.institution_a, world.users["county_a_staff"], severity="major")
    clock.move_to(at(urgent.deadline + datetime.timedelta(days=2)))
    book = load_workbook(io.BytesIO(export(client_for("county_a_staff"), "?overdue=on")))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:6] == ["编号", "托养机构", "县（区）", "检查领域", "问题描述", "严重程度"]
    assert "整改期限" in headers and "逾期天数" in headers and "剩余工作日" in headers
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["E"].width >= 40  # the description
    row = dict(zip(headers, sheet[2], strict=True))
    assert row["编号"].value == urgent.number
    assert row["整改期限"].is_date and row["整改期限"].value.date() == urgent.deadline
    assert row["提出日期"].value.date() == datetime.date(2026, 9, 28)
    assert row["整改期限"].number_format == "yyyy-mm-dd"
    assert row["逾期天数"].value == 2
    assert row["剩余工作日"].value is None
    assert row["托养机构"].value == "东湖区社会福利院"
    about = {r[0]: r[1] for r in book.worksheets[1].iter_rows(values_only=True)}
    assert about["仅看逾期"] == "是"
    assert about["行数"] == 1


def test_an_institution_exports_only_its_own_issues(world, client_for):
    rows = sheet_rows(export(client_for("institution_user"), "?status="))
    assert {row["编号"] for row in rows} == {world.issue_a.number, world.issue_a2.number}
    assert {row["托养机构"] for row in rows} == {world.institution_a.name}


def test_a_supervisor_with_no_assignment_exports_nothing(world, client_for):
    assert sheet_rows(export(client_for("supervisor"))) == []


def test_anonymous_visitors_are_sent_to_log_in(world, client):
    response = client.post(URL)
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_the_columns_read_only_the_fields_the_export_fetches(world, clock):
    """``for_export`` fetches a few fields of each issue, institution and user (100,000 rows
    build 400,000 instances): every column gives what it gives from whole rows, and a column
    reading a field left out would cost a query per row, which the counts below would show."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from inspections.models import Issue
    from inspections.selectors.ledger import ledger_rows

    staff = world.users["county_a_staff"]
    raise_issue(world.institution_a, staff, severity="major")
    raise_issue(world.institution_a, staff, area="hygiene", description="厨房未做消毒记录")
    Issue.objects.filter(pk=world.issue_a2.pk).update(
        status=Issue.Status.CLOSED, closed_on=datetime.date(2026, 9, 25)
    )
    clock.move_to(at(datetime.date(2026, 10, 12)))
    on = datetime.date(2026, 10, 12)
    columns = exports._columns()
    issues = issues_for(staff).order_by("pk")
    assert issues.count() >= 4

    def values(queryset) -> tuple[list, int]:
        with CaptureQueriesContext(connection) as queries:
            rows = ledger_rows(list(queryset), on)
            table = [[value(row) for _header, _width, value in columns] for row in rows]
        return table, len(queries)

    whole, _ = values(issues)
    lean, queries = values(exports.for_export(issues))
    assert lean == whole
    assert any(row[-1] for row in lean)  # a closed issue: its closing columns were read
    _one, queries_for_one = values(exports.for_export(issues)[:1])
    assert queries == queries_for_one
