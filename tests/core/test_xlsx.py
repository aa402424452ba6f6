"""The one way exports write Excel (``audit_portal/core/xlsx.py``)."""

import datetime
import io
import zoneinfo

from openpyxl import load_workbook

from audit_portal.core.xlsx import ALERT_COLOR, ExportBook
from tests.factories import UserFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_a_workbook_has_its_header_filter_dates_alerts_and_a_closing_sheet(db):
    book = ExportBook()
    sheet = book.sheet("台账", ["编号", "日期", "时间", "逾期"], [10, 12, 16, 8])
    moment = datetime.datetime(2026, 3, 1, 2, 30, tzinfo=datetime.UTC)
    sheet.append(["A1", datetime.date(2026, 3, 2), moment, 0])
    sheet.append(["A2", datetime.date(2026, 3, 3), None, 4], alert=[4])
    content = book.save("筛选条件", [("导出人", UserFactory(full_name="李敏").get_full_name())])

    workbook = load_workbook(io.BytesIO(content))
    data, about = workbook.worksheets
    assert [c.value for c in data[1]] == ["编号", "日期", "时间", "逾期"]
    assert data["A1"].font.bold and data.freeze_panes == "A2"
    assert data.auto_filter.ref == "A1:D3"
    # XlsxWriter stores the width Excel shows for 10 characters (with its padding).
    assert 10 <= data.column_dimensions["A"].width < 11
    assert data["B2"].number_format == "yyyy-mm-dd"
    # Excel has no time zones: the local wall-clock time, 10:30 in Shanghai.
    assert data["C2"].value == datetime.datetime(2026, 3, 1, 10, 30, tzinfo=SHANGHAI).replace(
        tzinfo=None
    )
    assert data["D3"].font.color.rgb.endswith(ALERT_COLOR[-6:])
    assert not data["D2"].font.bold
    assert about.title == "筛选条件" and about["B1"].value == "李敏"


def test_many_rows_are_written_in_one_pass(db):
    book = ExportBook()
    sheet = book.sheet("台账", ["编号"], [10])
    for number in range(5000):
        sheet.append([number])
    workbook = load_workbook(io.BytesIO(book.save("筛选条件", [])), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 5001 and rows[-1] == (4999,)
