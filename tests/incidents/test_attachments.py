"""Incident reports carry attachments under the evidence-file rules: only for those who may see
the incident, and a file that breaks a rule refuses the whole report."""

import datetime
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit_portal.core.evidence import evidence_for
from audit_portal.core.models import EvidenceFile
from incidents.models import Incident, Stage
from tests.files import jpeg_upload, pdf_upload
from tests.incidents import factories
from tests.incidents.factories import followup

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC)


def initial_post(**extra) -> dict:
    return factories.initial_post(NOW, 20, **extra)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def test_the_initial_report_carries_photos_and_scans(world, client_for, frozen):
    client = client_for("institution_user")
    response = client.post(
        reverse("incidents:incident_create"),
        initial_post(attachments=[jpeg_upload("现场照片.jpg"), pdf_upload("就诊记录.pdf")]),
    )
    assert response.status_code == 302
    report = Incident.objects.get(reported_at=NOW).reports.get()
    names = sorted(evidence.original_name for evidence in evidence_for(report))
    assert names == ["就诊记录.pdf", "现场照片.jpg"]
    page = client.get(response["Location"]).content.decode()
    for evidence in evidence_for(report):
        assert reverse("evidence_download", args=[evidence.pk]) in page


def test_a_file_that_breaks_the_rules_saves_nothing(world, client_for, frozen):
    fake = SimpleUploadedFile("记录.pdf", b"<html><script>alert(1)</script></html>")
    files_before = EvidenceFile.objects.count()
    response = client_for("institution_user").post(
        reverse("incidents:incident_create"), initial_post(attachments=[fake])
    )
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"]
    assert not Incident.objects.filter(reported_at=NOW).exists()
    assert EvidenceFile.objects.count() == files_before


def test_only_those_who_see_the_incident_download_its_attachments(world, client_for):
    report = followup(
        world.incident_a,
        actor=world.users["institution_user"],
        uploads=[jpeg_upload("伤情照片.jpg")],
    )
    assert report.stage == Stage.FOLLOWUP
    url = reverse("evidence_download", args=[evidence_for(report).get().pk])
    for persona in ("institution_user", "county_a_staff", "station_staff", "city_staff"):
        response = client_for(persona).get(url)
        assert response.status_code == 200, persona
        assert response["Content-Disposition"].startswith("attachment")
    for persona in ("county_b_staff", "supervisor", "anonymous"):
        assert client_for(persona).get(url).status_code == 404, persona


def test_the_pdf_names_the_attachments_of_each_report(world, client_for, tmp_path):
    followup(
        world.incident_a,
        actor=world.users["institution_user"],
        uploads=[pdf_upload("医院诊断证明.pdf")],
    )
    response = client_for("county_a_staff").get(
        reverse("incidents:incident_pdf", args=[world.incident_a.pk])
    )
    path = tmp_path / "incident.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(  # noqa: S603 - our own file
        ["pdftotext", str(path), "-"],  # noqa: S607 - poppler-utils, installed for tests
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "医院诊断证明.pdf" in text
