"""Supervisors see counts only; where the area allows it (``supervisor_resident_read``) they
may read one resident's record at an institution they supervise, through a request that says
why and is logged."""

import json

import pytest
from django.urls import reverse

from audit_portal.security.models import SecurityEvent
from residents.models import ResidentReadRequest
from tests.residents.factories import ID_NUMBER

pytestmark = pytest.mark.django_db

URL = reverse("residents:supervisor_read")


@pytest.fixture
def allowed(settings):
    settings.AUDIT_RULES_OVERRIDES = json.dumps({"supervisor_resident_read": True})


REASON = "探访中该托养人员反映伙食问题，需核对其基本情况"


def ask(client, world, name, institution=None, reason=REASON):
    institution = institution or world.institution_a
    return client.post(URL, {"institution": institution.pk, "name": name, "reason": reason})


def test_without_the_rule_there_is_no_page(assigned, client_for):
    assert client_for("supervisor").get(URL).status_code == 404
    assert not ResidentReadRequest.objects.exists()


def test_a_supervised_institutions_resident_is_read_and_the_read_logged(
    assigned, allowed, client_for
):
    world = assigned
    response = ask(client_for("supervisor"), world, world.resident_a.name)
    body = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert world.resident_a.name in body and ID_NUMBER not in body
    read = ResidentReadRequest.objects.get()
    assert read.resident == world.resident_a and read.reader == world.users["supervisor"]
    assert SecurityEvent.objects.filter(target=f"resident {world.resident_a.pk}").exists()


def test_an_institution_not_supervised_is_not_offered_and_nothing_is_read(
    assigned, allowed, client_for
):
    world = assigned
    response = ask(client_for("supervisor"), world, world.resident_b.name, world.institution_b)
    # The form is shown again (the institution is not one to choose); no record is shown.
    assert response.status_code == 200 and response.context["found"] is None
    assert f'id="resident-{world.resident_b.pk}"' not in response.content.decode()
    assert not ResidentReadRequest.objects.exists()


def test_a_read_without_a_reason_is_refused(assigned, allowed, client_for):
    response = ask(client_for("supervisor"), assigned, assigned.resident_a.name, reason="")
    assert response.status_code == 200
    assert not ResidentReadRequest.objects.exists()


def test_a_supervisor_not_assigned_reads_nothing(world, allowed, client_for):
    response = ask(client_for("supervisor"), world, world.resident_a.name)
    assert not response.context["found"]
    assert f'id="resident-{world.resident_a.pk}"' not in response.content.decode()
    assert not ResidentReadRequest.objects.exists()


def test_staff_have_no_such_page(world, allowed, client_for):
    assert client_for("city_staff").get(URL).status_code == 404
