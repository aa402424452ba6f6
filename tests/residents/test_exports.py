"""The resident ledger and the returned-home ledger in Excel, built by the worker for staff:
the rows of their scope with the list's filters, ID numbers masked, each download logged."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit_portal.core.models import GeneratedFile
from audit_portal.security.models import SecurityEvent
from residents import exports
from tests.file_jobs import download, post_and_build
from tests.residents.factories import ID_NUMBER

pytestmark = pytest.mark.django_db

RESIDENTS = reverse("residents:resident_ledger_export")
RETURNS = reverse("residents:return_ledger_export")


def rows(content: bytes) -> list[dict]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def export(client, url: str) -> list[dict]:
    response, job = post_and_build(client, url)
    assert response.status_code == 302 and job is not None
    assert job.status == GeneratedFile.Status.DONE, job.error
    return rows(download(client, job))


def test_the_resident_ledger_holds_the_scope_with_the_id_number_masked(world, client_for):
    ledger = export(client_for("county_a_staff"), RESIDENTS)
    names = {row[next(iter(row))] for row in ledger}
    assert {world.resident_a.name, world.returned_a.name} <= names
    assert world.resident_b.name not in names
    cells = [str(value) for row in ledger for value in row.values()]
    assert ID_NUMBER not in cells
    assert world.resident_a.masked_id_number in cells


def test_the_list_filters_apply(world, client_for):
    ledger = export(client_for("city_staff"), RESIDENTS + "?status=discharged")
    assert [row[next(iter(row))] for row in ledger] == [world.returned_a.name]


def test_the_returned_home_ledger(world, client_for):
    ledger = export(client_for("station_staff"), RETURNS)
    assert len(ledger) == 1
    assert world.return_home_a.home_area in ledger[0].values()


def test_each_download_is_written_to_the_security_log(world, client_for):
    client = client_for("county_a_staff")
    before = SecurityEvent.objects.count()
    export(client, RETURNS)
    assert SecurityEvent.objects.count() == before + 1


def test_the_builders_carry_personal_data():
    from audit_portal.core.files.registry import carries_personal_data

    assert carries_personal_data(exports.RESIDENTS_KIND)
    assert carries_personal_data(exports.RETURNS_KIND)


@pytest.mark.parametrize(
    ("persona", "status"), [("institution_user", 403), ("supervisor", 404), ("anonymous", 302)]
)
def test_institutions_supervisors_and_visitors_export_nothing(world, client_for, persona, status):
    assert client_for(persona).post(RESIDENTS).status_code == status
    assert not GeneratedFile.objects.filter(kind=exports.RESIDENTS_KIND).exists()
