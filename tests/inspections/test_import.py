"""The Excel import of institutions and their documents (``inspections/services/imports.py``):
all rows or none, each error on its row, the history saying who imported which file."""

import datetime
import io
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook

from inspections import import_book as book
from inspections.models import DocumentKind, ImportUpload, Institution, QualificationDocument
from inspections.services import import_uploads, imports
from tests.inspections.factories import DocumentFactory, make_credit_code
from tests.inspections.import_helpers import (
    FILENAME,
    document_row,
    institution_row,
    upload,
    workbook,
)

pytestmark = pytest.mark.django_db


def preview_of(world, institutions=(), documents=(), persona="county_a_staff"):
    data = workbook(institutions, documents)
    return imports.institutions_import_preview(file=upload(data), actor=world.users[persona])


def errors_of(row) -> list[str]:
    return [str(error) for error in row.errors]


def test_a_clean_file_imports_every_row_with_the_file_name_as_history_reason(world):
    staff = world.users["county_a_staff"]
    rows = [institution_row(world, n) for n in range(3)]
    documents = [
        document_row(rows[0]["credit_code"]),
        document_row(rows[0]["credit_code"], kind="fixed_site", number="房-1", valid_until=None),
    ]

    report = imports.institutions_import(file=upload(workbook(rows, documents)), actor=staff)

    created = Institution.objects.filter(credit_code__in=[r["credit_code"] for r in rows])
    assert sorted(i.name for i in report.institutions) == sorted(i.name for i in created)
    assert created.count() == 3
    first = created.get(credit_code=rows[0]["credit_code"])
    assert (first.county, first.kind, first.bed_capacity, first.contact_phone) == (
        world.county_a,
        Institution.Kind.ELDERLY_CARE,
        80,
        "13800001111",
    )
    assert first.operation_started_on == datetime.date(2023, 4, 1)
    assert first.status == Institution.Status.CANDIDATE
    for institution in created:
        history = institution.history.get()
        assert (history.history_user, history.history_change_reason) == (staff, FILENAME)
    documents = first.documents.order_by("kind")
    assert [(d.kind, d.status, d.submitted_by) for d in documents] == [
        (DocumentKind.FIXED_SITE, QualificationDocument.Status.PENDING, staff),
        (DocumentKind.FOOD_LICENCE, QualificationDocument.Status.PENDING, staff),
    ]
    assert {d.history.get().history_change_reason for d in documents} == {FILENAME}
    assert len(report.documents) == 2


def test_a_500_row_file_with_one_bad_row_imports_nothing_and_names_the_row(world):
    rows = [institution_row(world, n) for n in range(500)]
    code = rows[317]["credit_code"]
    rows[317]["credit_code"] = code[:-1] + ("0" if code[-1] != "0" else "1")
    documents = [document_row(row["credit_code"], number=f"JY{n}") for n, row in enumerate(rows)]
    data = workbook(rows, documents[:100])
    before = (Institution.objects.count(), QualificationDocument.objects.count())
    started = time.monotonic()

    with pytest.raises(imports.ImportNotClean) as refused:
        imports.institutions_import(file=upload(data), actor=world.users["county_a_staff"])

    assert time.monotonic() - started < 5
    # Excel's row 319: the header is row 1, the 318th institution row 319.
    assert "319" in refused.value.messages[0]
    assert [row.number for row in refused.value.preview.rows_with_errors] == [319]
    assert (Institution.objects.count(), QualificationDocument.objects.count()) == before


def test_a_wrong_credit_code_is_refused_in_chinese_on_its_row(world):
    code = make_credit_code(42)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    preview = preview_of(
        world, [institution_row(world, 1), institution_row(world, 2, credit_code=wrong)]
    )
    first, second = preview.institutions
    assert first.ok and second.number == 3
    assert "校验码" in errors_of(second)[0]
    assert not preview.is_clean


def column(columns, key) -> str:
    return str(next(c.label for c in columns if c.key == key))


def not_a_date(value):
    return _("“%(value)s” is not a date: write it as 2024-03-01.") % {"value": value}


def not_a_number(value):
    return _("“%(value)s” is not a whole number greater than zero.") % {"value": value}


def not_a_choice(value, choices):
    labels = "、".join(str(label) for _value, label in choices)
    return _("“%(value)s” is not one of: %(choices)s.") % {"value": value, "choices": labels}


def required():
    return _("Required: fill in this cell.")


INSTITUTION_ERRORS = [
    (
        "county",
        {"county": "北极县民政局"},
        lambda: (
            _("“%(value)s” is not a county/district bureau you may register institutions in.")
            % {"value": "北极县民政局"}
        ),
    ),
    ("operation_started_on", {"operation_started_on": None}, required),
    ("operation_started_on", {"operation_started_on": "去年春天"}, lambda: not_a_date("去年春天")),
    ("bed_capacity", {"bed_capacity": "八十"}, lambda: not_a_number("八十")),
    ("bed_capacity", {"bed_capacity": 0}, lambda: not_a_number("0")),
    ("kind", {"kind": "敬老院"}, lambda: not_a_choice("敬老院", Institution.Kind.choices)),
    ("name", {"name": ""}, required),
]


@pytest.mark.parametrize(("key", "overrides", "expected"), INSTITUTION_ERRORS)
def test_each_error_of_an_institution_row_is_reported_on_its_column(
    world, key, overrides, expected
):
    preview = preview_of(world, [institution_row(world, 1), institution_row(world, 2, **overrides)])
    first, second = preview.institutions
    assert first.ok
    assert second.number == 3
    assert errors_of(second) == [f"{column(book.INSTITUTION_COLUMNS, key)}：{expected()}"]


def test_a_county_outside_the_users_area_is_unknown(world):
    preview = preview_of(world, [institution_row(world, 1, county=world.county_b.name)])
    assert errors_of(preview.institutions[0])


def test_a_county_is_found_by_its_code_as_well_as_its_name(world):
    preview = preview_of(world, [institution_row(world, 1, county=world.county_a.code)])
    assert preview.is_clean
    assert preview.institutions[0].cleaned["county"] == world.county_a


def test_a_credit_code_twice_in_the_file_is_reported_on_the_second_row(world):
    rows = [institution_row(world, 1), institution_row(world, 2), institution_row(world, 1)]
    preview = preview_of(world, rows)
    assert [row.ok for row in preview.institutions] == [True, True, False]
    assert errors_of(preview.institutions[2]) == [
        f"{column(book.INSTITUTION_COLUMNS, 'credit_code')}："
        + _("The same credit code is on row %(row)d.") % {"row": 2}
    ]


def test_a_credit_code_already_registered_is_reported(world):
    row = institution_row(world, 1, credit_code=world.institution_b.credit_code)
    preview = preview_of(world, [row])
    assert (
        _("An institution with this credit code is already registered.")
        in errors_of(preview.institutions[0])[0]
    )


DOCUMENT_ERRORS = [
    ("kind", {"kind": "营业执照"}, lambda: not_a_choice("营业执照", DocumentKind.choices)),
    ("valid_from", {"valid_from": None}, required),
    ("valid_from", {"valid_from": "2024-13-01"}, lambda: not_a_date("2024-13-01")),
    (
        "valid_until",
        {"valid_until": None},
        lambda: _("This document has an expiry date: enter it."),
    ),
    (
        "valid_until",
        {"valid_until": datetime.date(2020, 1, 1)},
        lambda: _("The expiry date is before the start date."),
    ),
    ("number", {"number": None}, required),
]


@pytest.mark.parametrize(("key", "overrides", "expected"), DOCUMENT_ERRORS)
def test_each_error_of_a_document_row_is_reported_on_its_column(world, key, overrides, expected):
    rows = [institution_row(world, 1)]
    preview = preview_of(world, rows, [document_row(rows[0]["credit_code"], **overrides)])
    (row,) = preview.documents
    assert errors_of(row) == [f"{column(book.DOCUMENT_COLUMNS, key)}：{expected()}"]


def test_a_document_of_an_unknown_or_foreign_institution_is_reported(world):
    documents = [
        document_row(make_credit_code(77)),
        document_row(world.institution_b.credit_code),  # county B: not county A staff's
    ]
    preview = preview_of(world, [], documents)
    message = _(
        "No institution with this credit code, neither in the institutions sheet nor "
        "registered in your area."
    )
    assert [errors_of(row) for row in preview.documents] == [
        [f"{column(book.DOCUMENT_COLUMNS, 'credit_code')}：{message}"]
    ] * 2


def test_a_document_twice_in_the_file_or_already_registered_is_reported(world):
    institution = world.institution_a
    DocumentFactory(institution=institution, kind=DocumentKind.FIRE_SAFETY, number="消-9")
    documents = [
        document_row(institution.credit_code, number="JY-1"),
        document_row(institution.credit_code, number="JY-1"),
        document_row(institution.credit_code, kind="fire_safety", number="消-9", valid_until=None),
    ]
    preview = preview_of(world, [], documents)
    assert [len(row.errors) for row in preview.documents] == [0, 1, 1]
    assert (
        _("The same document is on row %(row)d.") % {"row": 2} in errors_of(preview.documents[1])[0]
    )
    assert _("This document is already registered.") in errors_of(preview.documents[2])[0]


def test_documents_of_an_institution_already_registered_are_imported_pending(world):
    staff = world.users["county_a_staff"]
    institution = world.institution_a
    data = workbook([], [document_row(institution.credit_code, number="JY-NEW")])
    report = imports.institutions_import(file=upload(data), actor=staff)
    (document,) = report.documents
    assert (document.institution, document.status) == (institution, "pending")
    assert report.institutions == []


def test_kinds_are_read_by_value_or_label_in_any_language(world):
    rows = [
        institution_row(world, 1, kind="psychiatric"),
        institution_row(world, 2, kind=str(Institution.Kind.SOCIAL_WELFARE.label)),
        institution_row(world, 3, kind="Other social-service unit"),
    ]
    preview = preview_of(world, rows)
    assert [row.cleaned["kind"] for row in preview.institutions] == [
        "psychiatric",
        "social_welfare",
        "other",
    ]


def test_dates_written_as_text_are_read(world):
    rows = [
        institution_row(world, 1, operation_started_on="2023-04-01"),
        institution_row(world, 2, operation_started_on="2023/4/1"),
        institution_row(world, 3, operation_started_on="2023年4月1日"),
    ]
    preview = preview_of(world, rows)
    assert {row.cleaned["operation_started_on"] for row in preview.institutions} == {
        datetime.date(2023, 4, 1)
    }


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("台账.xls", b"\xd0\xcf\x11\xe0 old excel", "import_not_xlsx"),
        ("台账.csv", b"name,code\n", "import_not_xlsx"),
        ("台账.xlsx", b"PK\x03\x04 not really a zip", "import_not_xlsx"),
        ("台账.xlsx", b"plain text", "import_not_xlsx"),
    ],
)
def test_a_file_that_is_not_an_xlsx_workbook_is_refused(world, name, data, code):
    with pytest.raises(ValidationError) as refused:
        imports.institutions_import_preview(
            file=upload(data, name), actor=world.users["county_a_staff"]
        )
    assert refused.value.code == code


def test_an_oversize_file_is_refused(world, settings):
    data = workbook([institution_row(world, 1)])
    settings.AUDIT_RULES_OVERRIDES = {"import_max_bytes": len(data) - 1}
    with pytest.raises(ValidationError) as refused:
        imports.institutions_import(file=upload(data), actor=world.users["county_a_staff"])
    assert refused.value.code == "import_too_large"


def test_a_file_with_too_many_rows_is_refused(world, settings):
    data = workbook([institution_row(world, n) for n in range(4)], [])
    settings.AUDIT_RULES_OVERRIDES = {"import_max_rows": 3}
    with pytest.raises(ValidationError) as refused:
        imports.institutions_import(file=upload(data), actor=world.users["county_a_staff"])
    assert refused.value.code == "import_too_many_rows"
    assert "3" in refused.value.messages[0]


def test_a_sheet_without_the_template_columns_is_refused(world):
    sheet_book = Workbook()
    sheet_book.active.title = str(book.INSTITUTIONS_SHEET)
    sheet_book.active.append(["名称", "电话"])
    sheet_book.active.append(["某护理院", "123"])
    out = io.BytesIO()
    sheet_book.save(out)
    with pytest.raises(ValidationError) as refused:
        imports.institutions_import_preview(
            file=upload(out.getvalue()), actor=world.users["county_a_staff"]
        )
    assert refused.value.code == "import_missing_columns"


def test_a_file_without_rows_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        imports.institutions_import_preview(
            file=upload(workbook([], [])), actor=world.users["county_a_staff"]
        )
    assert refused.value.code == "import_empty"


@pytest.mark.parametrize("persona", ["station_staff", "supervisor", "institution_user"])
def test_only_the_bureaus_that_register_institutions_may_import(world, persona):
    data = workbook([institution_row(world, 1)])
    with pytest.raises(PermissionDenied):
        imports.institutions_import(file=upload(data), actor=world.users[persona])
    with pytest.raises(PermissionDenied):
        imports.institutions_import_preview(file=upload(data), actor=world.users[persona])
    assert not Institution.objects.filter(name="东湖区导入护理院1").exists()


def test_a_kept_upload_is_imported_once(world):
    staff = world.users["county_a_staff"]
    kept = import_uploads.import_upload_store(
        file=upload(workbook([institution_row(world, 1)])), actor=staff
    )
    import_uploads.import_upload_confirm(upload=kept, actor=staff)

    with pytest.raises(ValidationError) as again:
        import_uploads.import_upload_confirm(upload=kept, actor=staff)

    assert again.value.code == "import_already_done"
    assert Institution.objects.filter(name="东湖区导入护理院1").count() == 1
    kept.refresh_from_db()
    assert kept.imported_at is not None and bytes(kept.content) == b""
    assert kept.report["institutions"][0][1] == "东湖区导入护理院1"


def test_an_expired_upload_is_refused_and_left_unimported(world, time_machine):
    staff = world.users["county_a_staff"]
    time_machine.move_to("2026-06-01 09:00:00+08:00", tick=False)
    kept = import_uploads.import_upload_store(
        file=upload(workbook([institution_row(world, 1)])), actor=staff
    )
    time_machine.move_to("2026-06-01 12:00:00+08:00", tick=False)

    with pytest.raises(ValidationError) as refused:
        import_uploads.import_upload_confirm(upload=kept, actor=staff)

    assert refused.value.code == "import_expired"
    kept.refresh_from_db()
    assert kept.imported_at is None
    assert not Institution.objects.filter(name="东湖区导入护理院1").exists()


def test_old_unconfirmed_uploads_are_deleted_when_a_new_one_is_kept(world, time_machine):
    staff = world.users["county_a_staff"]
    data = workbook([institution_row(world, 1)])
    time_machine.move_to("2026-06-01 09:00:00+08:00", tick=False)
    old = import_uploads.import_upload_store(file=upload(data), actor=staff)
    time_machine.move_to("2026-06-02 09:00:00+08:00", tick=False)
    new = import_uploads.import_upload_store(file=upload(data), actor=staff)
    assert list(ImportUpload.objects.values_list("pk", flat=True)) == [new.pk]
    assert old.pk != new.pk


def test_a_conflict_while_importing_undoes_the_whole_file(world, monkeypatch):
    staff = world.users["county_a_staff"]
    rows = [institution_row(world, n) for n in range(3)]
    data = workbook(rows)
    original = imports.institution_create

    def meanwhile(**fields):
        # Someone registers the third institution between the check and the write.
        if fields["credit_code"] == rows[2]["credit_code"]:
            Institution.objects.create(
                **{k: v for k, v in fields.items() if k not in ("actor", "reason")}
            )
        return original(**fields)

    monkeypatch.setattr(imports, "institution_create", meanwhile)
    with pytest.raises(ValidationError) as refused:
        imports.institutions_import(file=upload(data), actor=staff)
    assert refused.value.code == "import_conflict"
    assert not Institution.objects.filter(credit_code__in=[r["credit_code"] for r in rows]).exists()
