"""A staff member who submitted a document is told a second person must verify it: on the
institution's page instead of the form, and on the 403 page if they post the decision anyway."""

import pytest
from django.urls import reverse

from inspections.models import QualificationDocument
from tests.inspections.test_document_review import submit

pytestmark = pytest.mark.django_db

# Either language: the Chinese arrives when the translations are merged.
SECOND_PERSON = ("须由另一人核验", "a second person must verify")


def _says_second_person(html: str) -> bool:
    return any(text in html for text in SECOND_PERSON)


def test_the_page_tells_the_submitter_a_second_person_must_verify(world, client_for):
    submit(world, world.users["county_a_staff"])
    page = client_for("county_a_staff").get(
        reverse("inspections:institution_detail", args=[world.institution_a.pk])
    )
    assert page.status_code == 200
    assert _says_second_person(page.content.decode())


def test_posting_the_decision_anyway_explains_the_refusal(world, client_for):
    document = submit(world, world.users["county_a_staff"])
    response = client_for("county_a_staff").post(
        reverse("inspections:document_review", args=[document.pk]), {"decision": "verify"}
    )
    assert response.status_code == 403
    # The policy's reason, not a bare "not allowed".
    assert "提交人以外" in response.content.decode() or "other than its submitter" in (
        response.content.decode()
    )
    document.refresh_from_db()
    assert document.status == QualificationDocument.Status.PENDING


def test_a_colleague_gets_the_form_not_the_note(world, client_for):
    submit(world, world.users["institution_user"])
    page = client_for("county_a_staff").get(
        reverse("inspections:institution_detail", args=[world.institution_a.pk])
    )
    assert not _says_second_person(page.content.decode())
