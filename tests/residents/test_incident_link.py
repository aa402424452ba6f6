"""A missing-person or death incident names the resident on record: one of the institution's
residents in the reporter's scope, shown on the incident's page with whether the resident's
discharge agrees."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident, Kind
from incidents.residents import resident_on_record
from residents.models import Resident
from tests.incidents.factories import figures, file_incident, initial_post

pytestmark = pytest.mark.django_db


def test_the_initial_report_names_a_resident_of_the_institution(world, client_for):
    client = client_for("institution_user")
    form = client.get(reverse("incidents:incident_create")).context["form"]
    assert set(form.fields["resident"].queryset) >= {world.resident_a}
    assert world.resident_b not in form.fields["resident"].queryset
    data = initial_post(timezone.now(), 20, kind=Kind.DEATH, deaths=1, resident=world.resident_a.pk)
    response = client.post(reverse("incidents:incident_create"), data)
    assert response.status_code == 302
    assert Incident.objects.get(resident=world.resident_a).kind == Kind.DEATH


def test_a_resident_of_another_institution_is_refused(world):
    with pytest.raises(ValidationError) as error:
        file_incident(
            world.institution_a,
            kind=Kind.MISSING,
            figures=figures(missing_count=1),
            resident=world.resident_b,
        )
    assert "resident" in error.value.message_dict


def test_an_injury_names_no_resident(world):
    with pytest.raises(ValidationError) as error:
        file_incident(world.institution_a, kind=Kind.INJURY, resident=world.resident_a)
    assert "resident" in error.value.message_dict


def test_the_page_asks_for_the_discharge_until_the_record_agrees(world, client_for):
    incident = file_incident(
        world.institution_a,
        kind=Kind.DEATH,
        figures=figures(deaths=1),
        resident=world.resident_a,
    )
    client = client_for("institution_user")
    page = client.get(reverse("incidents:incident_detail", args=[incident.pk]))
    assert page.context["resident"].resident == world.resident_a
    assert not page.context["resident"].consistent
    assert reverse("residents:resident_detail", args=[world.resident_a.pk]) in page.content.decode()
    Resident.objects.filter(pk=world.resident_a.pk).update(
        discharged_at=timezone.now(), discharge_kind=Resident.Discharge.DIED
    )
    page = client.get(reverse("incidents:incident_detail", args=[incident.pk]))
    assert page.context["resident"].consistent


def test_the_county_bureau_sees_the_name_and_others_only_that_a_resident_is_named(
    world, client_for
):
    incident = file_incident(
        world.institution_a,
        kind=Kind.MISSING,
        figures=figures(missing_count=1),
        resident=world.resident_a,
    )
    url = reverse("incidents:incident_detail", args=[incident.pk])
    page = client_for("county_a_staff").get(url)
    assert page.context["resident"].resident == world.resident_a
    outsider = resident_on_record(world.users["supervisor"], incident)
    assert outsider.resident is None and not outsider.consistent
