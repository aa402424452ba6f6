"""Excel workbooks for the import tests, written with openpyxl as a user's ledger would be: the
headers as the template names them (in the active language), one record per row."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from inspections import import_book as book
from tests.inspections.factories import make_credit_code

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILENAME = "东湖区机构台账2026.xlsx"


def institution_row(world, n: int, **overrides) -> dict:
    row = {
        "name": f"东湖区导入护理院{n}",
        "credit_code": make_credit_code(5000 + n),
        "kind": "Elderly care institution",
        "legal_representative": "钱明",
        "address": f"江海市东湖区阳光路{n}号",
        "county": world.county_a.name,
        "bed_capacity": 80,
        "operation_started_on": datetime.date(2023, 4, 1),
        "contact_person": "钱明",
        "contact_phone": 13800001111,
    }
    return {**row, **overrides}


def document_row(credit_code: str, **overrides) -> dict:
    row = {
        "credit_code": credit_code,
        "kind": "food_licence",
        "number": "JY13205000000001",
        "issuer": "东湖区市场监督管理局",
        "valid_from": datetime.date(2024, 1, 1),
        "valid_until": datetime.date(2029, 12, 31),
    }
    return {**row, **overrides}


def workbook(institutions=(), documents=(), *, documents_sheet: bool = True) -> bytes:
    book_ = Workbook(write_only=True)
    sheets = [(book.INSTITUTIONS_SHEET, book.INSTITUTION_COLUMNS, institutions)]
    if documents_sheet:
        sheets.append((book.DOCUMENTS_SHEET, book.DOCUMENT_COLUMNS, documents))
    for title, columns, rows in sheets:
        sheet = book_.create_sheet(str(title))
        sheet.append([str(column.label) for column in columns])
        for row in rows:
            sheet.append([row.get(column.key) for column in columns])
    out = io.BytesIO()
    book_.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = FILENAME) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)
