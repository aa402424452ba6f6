"""The ID number: encrypted at rest, shown masked everywhere, and every full display logged
(here and in the security log, as supervisors' ID views are)."""

import pytest
from django.db import connection
from django.urls import reverse

from audit_portal.security.models import SecurityEvent
from residents import services
from residents.models import Resident, ResidentIdView
from tests.residents.factories import ID_NUMBER

pytestmark = pytest.mark.django_db

MASKED = "1101**********002X"


def test_the_number_is_stored_encrypted(world):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number FROM residents_resident WHERE id = %s", [world.resident_a.pk]
        )
        stored = cursor.fetchone()[0]
    assert ID_NUMBER not in stored
    assert Resident.objects.get(pk=world.resident_a.pk).id_number == ID_NUMBER


def test_the_detail_page_shows_the_number_masked(world, client_for):
    body = (
        client_for("county_a_staff")
        .get(reverse("residents:resident_detail", args=[world.resident_a.pk]))
        .content.decode()
    )
    assert MASKED in body and ID_NUMBER not in body


def test_showing_the_full_number_is_logged(world, client_for):
    viewer = world.users["station_staff"]
    response = client_for("station_staff").post(
        reverse("residents:resident_reveal_id", args=[world.resident_a.pk])
    )
    assert response.status_code == 200
    assert ID_NUMBER in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert ResidentIdView.objects.filter(resident=world.resident_a, viewer=viewer).count() == 1
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.FULL_ID_VIEW, user=viewer)
    assert event.target == f"resident {world.resident_a.pk}"


def test_a_number_outside_the_scope_is_not_shown_nor_logged(world, client_for):
    response = client_for("county_b_staff").post(
        reverse("residents:resident_reveal_id", args=[world.resident_a.pk])
    )
    assert response.status_code == 404
    assert not ResidentIdView.objects.exists()


def test_the_number_cannot_be_shown_by_a_get(world, client_for):
    response = client_for("station_staff").get(
        reverse("residents:resident_reveal_id", args=[world.resident_a.pk])
    )
    assert response.status_code == 405
    assert not ResidentIdView.objects.exists()


def test_the_history_never_shows_the_number(world, client_for):
    services.resident_identify(
        resident=world.resident_a,
        id_number="110105194912310038",
        actor=world.users["station_staff"],
        reason="公安协查更正身份证号",
    )
    body = (
        client_for("city_staff")
        .get(reverse("residents:resident_detail", args=[world.resident_a.pk]))
        .content.decode()
    )
    assert "110105194912310038" not in body and ID_NUMBER not in body


def test_one_person_is_in_care_once_at_a_time(world):
    from django.core.exceptions import ValidationError

    from tests.residents.factories import admit

    with pytest.raises(ValidationError):
        admit(
            world.agreement_a,
            id_number=ID_NUMBER,
            identity_status=Resident.Identity.VERIFIED,
            name="张阿福",
        )
