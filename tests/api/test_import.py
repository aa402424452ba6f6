"""The Excel import through the API: the import page's service, its checks and its refusals."""

import pytest
from django.urls import reverse

from inspections.models import Institution, QualificationDocument
from tests.inspections.import_helpers import document_row, institution_row, upload, workbook

pytestmark = pytest.mark.django_db

URL = "/api/v1/institutions/import/"


def test_the_url_is_the_institutions_import():
    assert reverse("api:institution-import") == URL


def test_a_clean_workbook_is_imported_with_its_documents(world, api):
    rows = [institution_row(world, n) for n in range(3)]
    data = workbook(rows, [document_row(rows[0]["credit_code"])])

    response = api("county_a_staff").post(URL, {"file": upload(data)}, format="multipart")

    assert response.status_code == 201, response.json()
    body = response.json()
    created = Institution.objects.filter(credit_code__in=[row["credit_code"] for row in rows])
    assert sorted(body["institutions"]) == sorted(created.values_list("pk", flat=True))
    assert QualificationDocument.objects.filter(pk__in=body["documents"]).count() == 1
    history = created.first().history.get()
    assert history.history_change_reason == body["filename"]


def test_a_dry_run_checks_every_row_and_imports_nothing(world, api):
    rows = [institution_row(world, n) for n in range(2)]
    before = Institution.objects.count()

    response = api("county_a_staff").post(
        URL, {"file": upload(workbook(rows)), "dry_run": "true"}, format="multipart"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["clean"] is True
    assert [row["row"] for row in body["rows"] if row["sheet"] == "institutions"] == [2, 3]
    assert Institution.objects.count() == before


def test_a_500_row_workbook_with_one_bad_row_imports_nothing_and_names_the_row(world, api):
    rows = [institution_row(world, n) for n in range(500)]
    code = rows[317]["credit_code"]
    rows[317]["credit_code"] = code[:-1] + ("0" if code[-1] != "0" else "1")
    before = Institution.objects.count()

    response = api("county_a_staff").post(URL, {"file": upload(workbook(rows))}, format="multipart")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_not_clean"
    assert [row["row"] for row in body["rows"] if not row["ok"]] == [319]
    assert "校验码" in body["rows"][317]["errors"][0]["message"]
    assert Institution.objects.count() == before


def test_a_file_that_is_not_a_workbook_is_a_clear_error(world, api):
    response = api("county_a_staff").post(
        URL, {"file": upload(b"not a workbook", name="list.csv")}, format="multipart"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "import_not_xlsx"


@pytest.mark.parametrize("persona", ["institution_user", "supervisor", "station_staff"])
def test_who_may_not_register_institutions_may_not_import_them(world, api, persona):
    rows = [institution_row(world, 1)]
    response = api(persona).post(URL, {"file": upload(workbook(rows))}, format="multipart")

    assert response.status_code == 403
    assert not Institution.objects.filter(credit_code=rows[0]["credit_code"]).exists()


def test_a_read_only_token_may_not_import(world, api):
    rows = [institution_row(world, 1)]
    client = api(token=world.api_token_city_read_raw)

    response = client.post(URL, {"file": upload(workbook(rows))}, format="multipart")

    assert response.status_code == 403
    assert response.json()["code"] == "read_only_token"
