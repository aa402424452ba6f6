"""The import pages: upload → every row checked → confirm → what was created, for the bureaus
that register institutions; the template to fill in."""

import io

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from inspections import import_book as book
from inspections.models import ImportUpload, Institution
from tests.inspections.factories import make_credit_code
from tests.inspections.import_helpers import (
    FILENAME,
    XLSX,
    document_row,
    institution_row,
    upload,
    workbook,
)

pytestmark = pytest.mark.django_db

UPLOAD = reverse("inspections:institution_import")


def preview_url(kept: ImportUpload) -> str:
    return reverse("inspections:institution_import_preview", args=[kept.pk])


def confirm_url(kept: ImportUpload) -> str:
    return reverse("inspections:institution_import_confirm", args=[kept.pk])


def upload_file(client, data: bytes, name: str = FILENAME):
    return client.post(UPLOAD, {"file": upload(data, name)})


def test_the_institution_list_offers_the_import_to_those_who_register(client_for):
    url = reverse("inspections:institution_list")
    assert UPLOAD in client_for("county_a_staff").get(url).content.decode()
    assert UPLOAD not in client_for("station_staff").get(url).content.decode()


def test_county_staff_upload_check_and_import_a_file(world, client_for):
    client = client_for("county_a_staff")
    rows = [institution_row(world, 1), institution_row(world, 2)]
    data = workbook(rows, [document_row(rows[0]["credit_code"])])

    uploaded = upload_file(client, data)

    kept = ImportUpload.objects.get(owner=world.users["county_a_staff"])
    assert uploaded.status_code == 302 and uploaded["Location"] == preview_url(kept)
    page = client.get(preview_url(kept)).content.decode()
    assert "东湖区导入护理院1" in page and "东湖区导入护理院2" in page
    assert confirm_url(kept) in page
    assert not Institution.objects.filter(name__startswith="东湖区导入护理院").exists()

    confirmed = client.post(confirm_url(kept))

    assert confirmed.status_code == 302 and confirmed["Location"] == preview_url(kept)
    created = Institution.objects.filter(name__startswith="东湖区导入护理院")
    assert created.count() == 2
    assert {i.history.get().history_change_reason for i in created} == {FILENAME}
    assert created.get(name="东湖区导入护理院1").documents.count() == 1
    report = client.get(preview_url(kept)).content.decode()
    for institution in created:
        assert reverse("inspections:institution_detail", args=[institution.pk]) in report
    assert FILENAME in report


def test_a_file_with_errors_lists_each_row_and_offers_no_import(world, client_for):
    client = client_for("county_a_staff")
    rows = [institution_row(world, 1), institution_row(world, 2, county="北极县民政局")]
    upload_file(client, workbook(rows))
    kept = ImportUpload.objects.get()

    page = client.get(preview_url(kept)).content.decode()

    assert 'id="institutions-3"' in page
    assert "北极县民政局" in page
    assert confirm_url(kept) not in page
    # A confirmation sent anyway imports nothing and says why.
    response = client.post(confirm_url(kept), follow=True)
    assert response.status_code == 200
    assert _("%(n)d row has errors; nothing was imported.") % {"n": 1} in (
        response.content.decode()
    )
    assert not Institution.objects.filter(name__startswith="东湖区导入护理院").exists()
    kept.refresh_from_db()
    assert kept.imported_at is None


def test_a_second_confirmation_creates_nothing_twice(world, client_for):
    client = client_for("county_a_staff")
    upload_file(client, workbook([institution_row(world, 1)]))
    kept = ImportUpload.objects.get()
    client.post(confirm_url(kept))

    again = client.post(confirm_url(kept), follow=True)

    assert again.status_code == 200
    assert (
        _("This file has already been imported; nothing was imported again.")
        in again.content.decode()
    )
    assert Institution.objects.filter(name="东湖区导入护理院1").count() == 1


def test_a_file_that_is_not_xlsx_is_refused_on_the_form(client_for):
    response = upload_file(client_for("county_a_staff"), b"name,code\n", name="台账.csv")
    assert response.status_code == 200
    assert (
        _("Upload an Excel workbook (.xlsx); download the template if in doubt.")
        in response.content.decode()
    )
    assert not ImportUpload.objects.exists()


def test_a_file_refused_after_upload_says_why_on_the_preview(world, client_for):
    client = client_for("county_a_staff")
    upload_file(client, workbook([], []))
    page = client.get(preview_url(ImportUpload.objects.get())).content.decode()
    assert _("The file has no rows to import.") in page


def test_the_template_downloads_and_imports_cleanly_once_filled(world, client_for):
    client = client_for("county_a_staff")
    response = client.get(reverse("inspections:institution_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    template = load_workbook(io.BytesIO(response.content))
    institutions = template[str(book.INSTITUTIONS_SHEET)]
    documents = template[str(book.DOCUMENTS_SHEET)]
    # The county list offers the user's own counties only.
    lists = [cell.value for cell in template["lists"]["B"] if cell.value]
    assert lists == [world.county_a.name]
    # Filled in below the example rows, with the labels the drop-down lists offer.
    code = make_credit_code(4242)
    institutions.append(
        [
            "东湖区模板护理院",
            code,
            str(Institution.Kind.ELDERLY_CARE.label),
            "钱明",
            "江海市东湖区模板路1号",
            world.county_a.name,
            60,
            "2022-05-01",
            "钱明",
            "0512-66668888",
        ]
    )
    documents.append([code, template["lists"]["C1"].value, "法-1", "东湖区民政局", "2022-05-01"])
    out = io.BytesIO()
    template.save(out)

    upload_file(client, out.getvalue(), name="模板.xlsx")
    kept = ImportUpload.objects.get()
    page = client.get(preview_url(kept)).content.decode()
    assert confirm_url(kept) in page, page
    client.post(confirm_url(kept))

    institution = Institution.objects.get(credit_code=code)
    assert institution.documents.get().number == "法-1"
    # The example rows were skipped.
    assert not Institution.objects.filter(credit_code=book.EXAMPLE_CREDIT_CODE).exists()


def test_another_users_upload_is_not_found(world, client_for):
    client_for("county_a_staff").post(
        UPLOAD, {"file": upload(workbook([institution_row(world, 1)]))}
    )
    kept = ImportUpload.objects.get()
    for persona in ("county_b_staff", "city_staff"):
        assert client_for(persona).get(preview_url(kept)).status_code == 404
        assert client_for(persona).post(confirm_url(kept)).status_code == 404
    assert not Institution.objects.filter(name="东湖区导入护理院1").exists()


@pytest.mark.parametrize("persona", ["station_staff", "supervisor", "institution_user"])
def test_roles_that_do_not_register_institutions_are_refused(world, client_for, persona):
    client = client_for(persona)
    data = workbook([institution_row(world, 1)])
    assert client.get(UPLOAD).status_code == 403
    assert client.post(UPLOAD, {"file": upload(data)}).status_code == 403
    assert client.get(reverse("inspections:institution_import_template")).status_code == 403
    assert not ImportUpload.objects.exists()


def test_the_confirmation_only_accepts_post(world, client_for):
    client = client_for("county_a_staff")
    upload_file(client, workbook([institution_row(world, 1)]))
    assert client.get(confirm_url(ImportUpload.objects.get())).status_code == 405
