import datetime

import pytest
from django.urls import reverse

from audit_portal.core.models import EvidenceFile
from inspections.models import DocumentKind, Institution, QualificationDocument
from tests.files import pdf_upload
from tests.inspections.factories import InstitutionFactory, make_credit_code

pytestmark = pytest.mark.django_db


def institution_data(world, **overrides):
    data = {
        "name": "东湖区阳光护理院",
        "credit_code": make_credit_code(999),
        "kind": "elderly_care",
        "legal_representative": "钱明",
        "address": "江海市东湖区阳光路8号",
        "county": world.county_a.pk,
        "bed_capacity": 80,
        "operation_started_on": "2023-04-01",
        "contact_person": "钱明",
        "contact_phone": "0512-66668888",
    }
    return {**data, **overrides}


def test_county_staff_register_an_institution(world, client_for):
    response = client_for("county_a_staff").post(
        reverse("inspections:institution_create"), institution_data(world)
    )
    assert response.status_code == 302
    institution = Institution.objects.get(name="东湖区阳光护理院")
    assert institution.status == Institution.Status.CANDIDATE
    assert institution.history.get().history_user == world.users["county_a_staff"]


def test_a_wrong_credit_code_is_refused_in_chinese_and_nothing_is_saved(world, client_for):
    code = make_credit_code(999)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = client_for("county_a_staff").post(
        reverse("inspections:institution_create"), institution_data(world, credit_code=wrong)
    )
    assert response.status_code == 200
    assert "校验码" in response.content.decode()
    assert not Institution.objects.filter(name="东湖区阳光护理院").exists()


def test_county_staff_cannot_register_in_another_county(world, client_for):
    response = client_for("county_a_staff").post(
        reverse("inspections:institution_create"),
        institution_data(world, county=world.county_b.pk),
    )
    assert response.status_code == 200
    assert not Institution.objects.filter(name="东湖区阳光护理院").exists()


def test_an_edit_needs_a_reason_and_the_history_keeps_user_and_reason(world, client_for):
    institution = world.institution_a
    url = reverse("inspections:institution_edit", args=[institution.pk])
    data = institution_data(
        world, name=institution.name, credit_code=institution.credit_code, bed_capacity=260
    )
    client = client_for("county_a_staff")
    without_reason = client.post(url, data)
    assert without_reason.status_code == 200
    institution.refresh_from_db()
    assert institution.bed_capacity == 120

    assert client.post(url, {**data, "reason": "扩建新楼，床位增加"}).status_code == 302
    institution.refresh_from_db()
    assert institution.bed_capacity == 260
    latest = institution.history.order_by("-history_id").first()
    assert latest.history_user == world.users["county_a_staff"]
    assert latest.history_change_reason == "扩建新楼，床位增加"

    page = client.get(reverse("inspections:institution_history", args=[institution.pk]))
    assert "扩建新楼，床位增加" in page.content.decode()
    assert "120 → 260" in page.content.decode()


def test_an_institution_user_cannot_change_its_status_by_posting(world, client_for):
    url = reverse("inspections:institution_status", args=[world.institution_a.pk])
    response = client_for("institution_user").post(url, {"status": "approved", "reason": "x"})
    assert response.status_code == 403


def test_a_status_change_keeps_the_reason(world, client_for):
    url = reverse("inspections:institution_status", args=[world.institution_a.pk])
    client_for("county_a_staff").post(url, {"status": "suspended", "reason": "发生火灾，停业整顿"})
    world.institution_a.refresh_from_db()
    assert world.institution_a.status == Institution.Status.SUSPENDED
    latest = world.institution_a.history.order_by("-history_id").first()
    assert latest.history_change_reason == "发生火灾，停业整顿"


def test_the_institution_uploads_a_renewal_that_staff_then_verify(world, client_for):
    institution = world.institution_a
    old = institution.documents.get(kind=DocumentKind.FOOD_LICENCE)
    response = client_for("institution_user").post(
        reverse("inspections:document_upload", args=[institution.pk]),
        {
            "kind": DocumentKind.FOOD_LICENCE,
            "number": "JY23201000099999",
            "issuer": "江海市市场监督管理局",
            "valid_from": "2026-11-01",
            "valid_until": "2031-10-31",
            "replaces": old.pk,
            "scans": [pdf_upload("食品经营许可证.pdf")],
        },
    )
    assert response.status_code == 302
    renewal = QualificationDocument.objects.get(number="JY23201000099999")
    assert renewal.status == QualificationDocument.Status.PENDING
    assert renewal.replaces == old
    assert EvidenceFile.objects.filter(owner_id=renewal.pk).count() == 1
    # The old licence stays on record.
    assert QualificationDocument.objects.filter(pk=old.pk).exists()

    review = reverse("inspections:document_review", args=[renewal.pk])
    assert client_for("institution_user").post(review, {"decision": "verify"}).status_code == 403
    client_for("county_a_staff").post(review, {"decision": "verify"})
    renewal.refresh_from_db()
    assert renewal.status == QualificationDocument.Status.VERIFIED
    assert renewal.reviewed_by == world.users["county_a_staff"]


def test_an_upload_without_a_scan_or_with_a_bad_file_saves_nothing(world, client_for):
    url = reverse("inspections:document_upload", args=[world.institution_a.pk])
    data = {
        "kind": DocumentKind.FIXED_SITE,
        "number": "FS-1",
        "issuer": "不动产登记中心",
        "valid_from": "2026-01-01",
    }
    client = client_for("institution_user")
    assert client.post(url, data).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.pdf", b"<html>hi</html>", "application/pdf")
    response = client.post(url, {**data, "scans": [bad]})
    assert response.status_code == 200
    assert "PDF" in response.content.decode()
    assert not QualificationDocument.objects.filter(number="FS-1").exists()
    assert not EvidenceFile.objects.filter(original_name="x.pdf").exists()


def test_a_rejection_needs_a_reason(world, client_for):
    document = QualificationDocument.objects.create(
        institution=world.institution_a,
        kind=DocumentKind.FIXED_SITE,
        number="NEW-1",
        issuer="x",
        valid_from=datetime.date(2026, 1, 1),
        submitted_by=world.users["institution_user"],
    )
    url = reverse("inspections:document_review", args=[document.pk])
    client_for("county_a_staff").post(url, {"decision": "reject"})
    document.refresh_from_db()
    assert document.status == QualificationDocument.Status.PENDING
    client_for("county_a_staff").post(url, {"decision": "reject", "reason": "复印件不清晰"})
    document.refresh_from_db()
    assert document.status == QualificationDocument.Status.REJECTED
    assert document.rejection_reason == "复印件不清晰"


def test_the_list_filters_by_eligibility(world, client_for):
    InstitutionFactory(name="新开业托养中心", county=world.county_a)  # no documents
    client = client_for("city_staff")
    url = reverse("inspections:institution_list")
    not_eligible = client.get(url, {"eligible": "no"}).content.decode()
    eligible = client.get(url, {"eligible": "yes"}).content.decode()
    assert "新开业托养中心" in not_eligible and "东湖区社会福利院" not in not_eligible
    assert "东湖区社会福利院" in eligible and "新开业托养中心" not in eligible


def test_the_list_searches_by_name_and_code(world, client_for):
    client = client_for("city_staff")
    url = reverse("inspections:institution_list")
    assert "西山县颐养院" in client.get(url, {"q": "颐养"}).content.decode()
    by_code = client.get(url, {"q": world.institution_a.credit_code.lower()}).content.decode()
    assert "东湖区社会福利院" in by_code and "西山县颐养院" not in by_code


def test_county_staff_list_only_their_county(world, client_for):
    page = client_for("county_b_staff").get(reverse("inspections:institution_list"))
    assert "西山县颐养院" in page.content.decode()
    assert "东湖区社会福利院" not in page.content.decode()


def test_the_detail_page_shows_the_checklist(world, client_for):
    page = client_for("station_staff").get(
        reverse("inspections:institution_detail", args=[world.institution_a.pk])
    )
    text = page.content.decode()
    assert "符合托养条件" in text
    assert "正常运营一年以上" in text
    assert "编辑" not in text  # the station may not edit the registry entry


def test_staff_create_an_institution_account_bound_to_it(world, client_for):
    from audit_portal.accounts.models import User
    from inspections.selectors import institutions_for

    client_for("county_a_staff").post(
        reverse("inspections:account_create", args=[world.institution_a.pk]),
        {"username": "fuliyuan2", "full_name": "周丽", "password": "Jianghai#2026"},
    )
    user = User.objects.get(username="fuliyuan2")
    assert user.role == User.Role.INSTITUTION
    assert list(institutions_for(user)) == [world.institution_a]


def test_a_weak_account_password_is_refused(world, client_for):
    from audit_portal.accounts.models import User

    response = client_for("county_a_staff").post(
        reverse("inspections:account_create", args=[world.institution_a.pk]),
        {"username": "fuliyuan3", "full_name": "周丽", "password": "12345678"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="fuliyuan3").exists()


def test_a_credit_code_already_registered_is_refused(world, client_for):
    response = client_for("county_a_staff").post(
        reverse("inspections:institution_create"),
        institution_data(world, credit_code=world.institution_a.credit_code.lower()),
    )
    assert response.status_code == 200
    assert "credit_code" in response.context["form"].errors
    assert not Institution.objects.filter(name="东湖区阳光护理院").exists()


def test_the_institution_page_reads_every_document_scan_in_one_query(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from audit_portal.core.evidence import evidence_attach
    from tests.files import pdf_upload
    from tests.inspections.factories import DocumentFactory

    client = client_for("county_a_staff")
    url = reverse("inspections:institution_detail", args=[world.institution_a.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries()  # the first request of a session saves it
    before = queries()
    for kind in ("fire_safety", "food_licence", "fixed_site"):
        document = DocumentFactory(institution=world.institution_a, kind=kind)
        evidence_attach(owner=document, upload=pdf_upload(), actor=world.users["county_a_staff"])
    assert queries() == before
