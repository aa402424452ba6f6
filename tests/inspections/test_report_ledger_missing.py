"""The monthly report ledger lists the institutions that owed a report and sent none (未报), and
is named in Chinese (RFC 5987 Content-Disposition)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from inspections.dates import add_months
from inspections.exports_reports import ledger_filename
from tests.file_jobs import download, post_and_build

pytestmark = pytest.mark.django_db

URL = reverse("inspections:report_export")


def _rows(client, query: str) -> list[tuple]:
    _response, job = post_and_build(client, f"{URL}?{query}")
    book = load_workbook(io.BytesIO(download(client, job)))
    return list(book.worksheets[0].iter_rows(min_row=2, values_only=True))


def test_an_institution_that_did_not_report_is_listed_as_not_reported(world, client_for):
    # The month before the accepted report: institution A's agreement ran, no report came.
    month = add_months(world.accepted_monthly_report_a.month, -1)
    last = world.monthly_report_a.month
    rows = _rows(client_for("city_staff"), f"first={month:%Y-%m}&last={last:%Y-%m}")
    missing = [row for row in rows if row[0] == f"{month:%Y-%m}"]
    assert [(row[1], row[3]) for row in missing] == [("东湖区社会福利院", "未报")]
    # The reports received are listed as before, once each.
    assert sum(1 for row in rows if row[3] != "未报") == 2


def test_a_status_filter_lists_only_reports_of_that_status(world, client_for):
    month = add_months(world.accepted_monthly_report_a.month, -1)
    rows = _rows(client_for("city_staff"), f"first={month:%Y-%m}&status=accepted")
    assert all(row[3] != "未报" for row in rows)


def test_months_not_yet_due_are_not_counted_as_missing(world, client_for):
    this_month = world.draft_monthly_report_a.month
    rows = _rows(client_for("city_staff"), f"first={this_month:%Y-%m}&last={this_month:%Y-%m}")
    assert rows == []


def test_the_ledger_is_named_in_chinese_and_sent_rfc_5987_encoded(world, client_for):
    first = world.accepted_monthly_report_a.month
    name = ledger_filename(first, first)
    if name.isascii():
        pytest.skip("the Chinese file name arrives with the merged translations")
    assert name.startswith("月报台账")
    client = client_for("city_staff")
    _response, job = post_and_build(client, f"{URL}?first={first:%Y-%m}&last={first:%Y-%m}")
    done = client.get(reverse("files:download", args=[job.pk]))
    assert "filename*=utf-8''%E6%9C%88%E6%8A%A5" in done["Content-Disposition"]
