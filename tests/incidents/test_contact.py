"""The designated civil-affairs contact (定点联系) of each institution: set by county or city
staff, shown on the institution and incident pages, named in incident alerts."""

import pytest
from django.urls import reverse

from audit_portal.notices.models import Notification
from inspections.models import Institution
from tests.incidents.factories import file_incident

pytestmark = pytest.mark.django_db


def edit_data(institution, **overrides):
    data = {
        "name": institution.name,
        "credit_code": institution.credit_code,
        "kind": institution.kind,
        "legal_representative": institution.legal_representative,
        "address": institution.address,
        "county": institution.county_id,
        "bed_capacity": institution.bed_capacity,
        "operation_started_on": institution.operation_started_on.isoformat(),
        "contact_person": institution.contact_person,
        "contact_phone": institution.contact_phone,
        "reason": "指定定点联系人",
    }
    data.update(overrides)
    return data


def designate(institution, user):
    Institution.objects.filter(pk=institution.pk).update(designated_contact=user)
    institution.refresh_from_db()


def test_county_staff_designate_a_contact_on_the_edit_form(world, client_for):
    a = world.institution_a
    contact = world.users["county_a_staff"]
    response = client_for("county_a_staff").post(
        reverse("inspections:institution_edit", args=[a.pk]),
        edit_data(a, designated_contact=contact.pk),
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.designated_contact == contact
    assert a.history.first().history_change_reason == "指定定点联系人"


def test_the_city_may_name_one_of_its_own_staff(world, client_for):
    a = world.institution_a
    response = client_for("city_staff").post(
        reverse("inspections:institution_edit", args=[a.pk]),
        edit_data(a, designated_contact=world.users["city_staff"].pk),
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.designated_contact == world.users["city_staff"]


@pytest.mark.parametrize("persona", ["county_b_staff", "station_staff", "institution_user"])
def test_the_contact_is_chosen_among_the_countys_or_the_citys_staff(world, client_for, persona):
    a = world.institution_a
    url = reverse("inspections:institution_edit", args=[a.pk])
    client = client_for("county_a_staff")
    choices = client.get(url).context["form"].fields["designated_contact"].queryset
    assert world.users[persona] not in choices
    assert world.users["city_staff"] in choices
    response = client.post(url, edit_data(a, designated_contact=world.users[persona].pk))
    assert response.status_code == 200
    a.refresh_from_db()
    assert a.designated_contact is None


def test_the_institution_page_shows_the_contact(world, client_for):
    designate(world.institution_a, world.users["county_a_staff"])
    page = client_for("city_staff").get(
        reverse("inspections:institution_detail", args=[world.institution_a.pk])
    )
    assert world.users["county_a_staff"].get_full_name() in page.content.decode()


def test_the_incident_page_names_the_contact(world, client_for):
    designate(world.institution_a, world.users["county_a_staff"])
    page = client_for("institution_user").get(
        reverse("incidents:incident_detail", args=[world.incident_a.pk])
    )
    assert page.context["designated_contact"] == world.users["county_a_staff"]
    assert world.users["county_a_staff"].get_full_name() in page.content.decode()


def test_the_alert_names_the_contact_and_tells_them(world):
    # A city staff member as the contact: an injury alone would not reach the city.
    contact = world.users["city_staff"]
    designate(world.institution_a, contact)
    incident = file_incident(world.institution_a)
    report = incident.reports.get()
    key = f"incident:{incident.pk}:report:{report.pk}"
    told = Notification.objects.get(key=key, recipient=contact)
    assert told.params["contact"] == contact.get_full_name()
    assert "%(contact)s" in told.message
    county = Notification.objects.get(key=key, recipient=world.users["county_a_staff"])
    assert county.params["contact"] == contact.get_full_name()


def test_the_contact_is_told_once_when_also_alerted_with_their_bureau(world):
    contact = world.users["county_a_staff"]
    designate(world.institution_a, contact)
    incident = file_incident(world.institution_a)
    key = f"incident:{incident.pk}:report:{incident.reports.get().pk}"
    assert Notification.objects.filter(key=key, recipient=contact).count() == 1


def test_without_a_contact_the_alert_is_as_before(world):
    incident = file_incident(world.institution_b)
    key = f"incident:{incident.pk}:report:{incident.reports.get().pk}"
    told = Notification.objects.get(key=key, recipient=world.users["county_b_staff"])
    assert "contact" not in told.params


def test_every_demo_institution_has_a_contact(demo):
    assert Institution.objects.exists()
    assert not Institution.objects.filter(designated_contact__isnull=True).exists()
