"""Document verification (issue 3): staff other than the submitter verify or reject, with who
and when; a reviewed document is not reviewed again."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspections.models import DocumentKind, QualificationDocument
from inspections.services import registry as services
from tests.factories import UserFactory
from tests.files import pdf_upload

pytestmark = pytest.mark.django_db


def submit(world, actor):
    return services.document_submit(
        institution=world.institution_a,
        kind=DocumentKind.FIXED_SITE,
        number="苏(2026)东湖不动产权第0001号",
        issuer="江海市不动产登记中心",
        valid_from=datetime.date(2026, 1, 1),
        valid_until=None,
        scans=[pdf_upload()],
        actor=actor,
    )


def test_the_submitter_does_not_verify_their_own_document(world):
    staff = world.users["county_a_staff"]
    document = submit(world, staff)
    with pytest.raises(PermissionDenied):
        services.document_verify(document=document, actor=staff)
    document.refresh_from_db()
    assert document.status == QualificationDocument.Status.PENDING


def test_another_staff_member_verifies_with_who_and_when(world, time_machine):
    time_machine.move_to("2026-06-01 10:00:00+08:00", tick=False)
    document = submit(world, world.users["institution_user"])
    colleague = UserFactory(organisation=world.county_a)
    services.document_verify(document=document, actor=colleague)
    document.refresh_from_db()
    assert document.status == QualificationDocument.Status.VERIFIED
    assert document.reviewed_by == colleague
    assert document.reviewed_at.isoformat().startswith("2026-06-01T02:00")
    latest = document.history.order_by("-history_id").first()
    assert latest.history_user == colleague and latest.history_change_reason


def test_a_reviewed_document_is_not_reviewed_again(world):
    document = submit(world, world.users["institution_user"])
    services.document_reject(
        document=document, actor=world.users["county_a_staff"], reason="复印件不清晰"
    )
    with pytest.raises(ValidationError):
        services.document_verify(document=document, actor=world.users["city_staff"])
    document.refresh_from_db()
    assert document.status == QualificationDocument.Status.REJECTED
