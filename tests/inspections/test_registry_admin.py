"""The registry's records in Django's admin: every one is listed and has its history, and none is
added, edited or deleted there (changes go through the pages and their services)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def registry_records(world):
    return {
        "inspections_institution": world.institution_a,
        "inspections_qualificationdocument": world.document_a,
        "inspections_custodyagreement": world.agreement_a,
        "inspections_placement": world.placement_a,
        "core_evidencefile": world.evidence_a,
    }


@pytest.fixture
def placed(world):
    import datetime

    from inspections.models import Placement

    world.extra["placement_a"] = Placement.objects.create(
        agreement=world.agreement_a,
        starts_on=datetime.date(2026, 6, 1),
        people=2,
        category="elderly",
        created_by=world.users["station_staff"],
    )
    return world


@pytest.mark.parametrize(
    "model",
    [
        "inspections_institution",
        "inspections_qualificationdocument",
        "inspections_custodyagreement",
        "inspections_placement",
        "core_evidencefile",
    ],
)
def test_every_registry_record_is_in_the_admin_with_its_history(placed, client_for, model):
    obj = registry_records(placed)[model]
    client = client_for("admin")
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{model}_change", args=[obj.pk])).status_code == 200
    history = client.get(reverse(f"admin:{model}_history", args=[obj.pk]))
    assert history.status_code == 200
    assert client.get(reverse(f"admin:{model}_add")).status_code == 403
    assert client.get(reverse(f"admin:{model}_delete", args=[obj.pk])).status_code == 403


def test_an_evidence_file_is_not_linked_from_the_admin(placed, client_for):
    # Files are served only through the permission-checked download view.
    evidence = placed.evidence_a
    page = client_for("admin").get(reverse("admin:core_evidencefile_change", args=[evidence.pk]))
    assert evidence.file.name not in page.content.decode()
