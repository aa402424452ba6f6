"""The ledger's Excel export: exactly the filtered rows, Chinese headers, dates as dates."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from inspections.selectors.inspections import issues_for, ledger_filter
from tests.inspections.ledger_helpers import at, build_world_on_monday, frozen_clock, raise_issue
from tests.shared_state import shared

URL = reverse("inspections:issue_ledger_export")


@pytest.fixture
def clock():
    with frozen_clock() as traveller:
        yield traveller


@pytest.fixture
@shared(build_world_on_monday)
def world(clock, _shared_states, db):
    return _shared_states.copy(build_world_on_monday)


def sheet_rows(response) -> list[dict]:
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_export_is_an_xlsx_attachment(world, client_for):
    response = client_for("county_a_staff").get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="issue-ledger-20260928.xlsx"'


def test_the_rows_match_the_filter_exactly(world, client_for, clock):
    staff = world.users["county_a_staff"]
    raise_issue(world.institution_a, staff, severity="major")
    raise_issue(world.institution_a, staff, area="hygiene", description="厨房未做消毒记录")
    clock.move_to(at(datetime.date(2026, 10, 12)))
    query = "?status=unclosed&severity=major"
    client = client_for("county_a_staff")
    exported = [row["编号"] for row in sheet_rows(client.get(URL + query))]
    expected = ledger_filter(
        issues_for(staff), on=datetime.date(2026, 10, 12), status="unclosed", severity="major"
    )
    assert exported == [issue.number for issue in expected]
    assert len(exported) == 1
    # The page shows the same issues for the same query string, in the same order.
    page = client.get(reverse("inspections:issue_ledger") + query)
    assert [row.issue.number for row in page.context["rows"]] == exported
    everything = [row["编号"] for row in sheet_rows(client.get(URL))]
    assert everything == [issue.number for issue in issues_for(staff)]
    assert len(everything) == 4


def test_headers_are_chinese_frozen_and_dates_are_dates(world, client_for, clock):
    urgent = raise_issue(world.institution_a, world.users["county_a_staff"], severity="major")
    clock.move_to(at(urgent.deadline + datetime.timedelta(days=2)))
    response = client_for("county_a_staff").get(URL + "?overdue=on")
    book = load_workbook(io.BytesIO(response.content))
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
    rows = sheet_rows(client_for("institution_user").get(URL + "?status="))
    assert {row["编号"] for row in rows} == {world.issue_a.number, world.issue_a2.number}
    assert {row["托养机构"] for row in rows} == {world.institution_a.name}


def test_a_supervisor_with_no_assignment_exports_nothing(world, client_for):
    assert sheet_rows(client_for("supervisor").get(URL)) == []


def test_anonymous_visitors_are_sent_to_log_in(world, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/login" in response["Location"]
