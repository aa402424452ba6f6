"""Visit registration: capacity, per-phone limits, closing, rate limits, robots."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from openday import services
from openday.models import Registration
from tests.inspections.factories import InstitutionFactory
from tests.openday.factories import public_form

FAST = override_settings(AUDIT_RULES_OVERRIDES={"openday_form_min_seconds": 0})


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _day(world, institution=None, capacity=10, year=2027):
    return services.visit_day_set(
        institution=institution or world.institution_a,
        year=year,
        capacity=capacity,
        hours="09:00",
        meeting_point="门口",
        registration_open=True,
        actor=world.users["city_staff"],
        reason="调整",
    )


def _register(day, phone, size=1, name="访客"):
    return services.registration_create(visit_day=day, name=name, phone=phone, party_size=size)


def test_registrations_stop_at_the_capacity(world):
    day = _day(world, capacity=40)  # 2 already taken by the world's registration
    _register(day, "13900000001", 5)
    with pytest.raises(ValidationError, match=r"(Only 3 places|仅剩3个名额)"):
        for n in range(2, 20):
            _register(day, f"139000000{n:02d}", 5)
    assert services.places_left(day) == 3
    _register(day, "13700000000", 3)
    assert services.places_left(day) == 0
    with pytest.raises(ValidationError):
        _register(day, "13700000001", 1)


def test_one_phone_registers_once_per_visit(world):
    day = _day(world)
    _register(day, "13900000001")
    with pytest.raises(ValidationError):
        _register(day, "139 0000 0001")


def test_one_phone_holds_at_most_the_limit_of_registrations_a_year(world):
    days = [_day(world, InstitutionFactory(county=world.county_a)) for _ in range(3)]
    _register(days[0], "13900000001")
    _register(days[1], "+86 139-0000-0001")
    with pytest.raises(ValidationError, match="2"):
        _register(days[2], "13900000001")
    assert Registration.objects.filter(phone="13900000001", status="active").count() == 2


def test_a_cancellation_frees_the_phone_slot_and_the_places(world):
    days = [_day(world, InstitutionFactory(county=world.county_a), capacity=3) for _ in range(3)]
    first = _register(days[0], "13900000001", 3)
    _register(days[1], "13900000001")
    assert services.places_left(days[0]) == 0
    services.registration_cancel(registration=first)
    assert services.places_left(days[0]) == 3
    _register(days[2], "13900000001")


def test_the_database_refuses_a_third_slot_for_the_same_phone(world):
    from django.db import IntegrityError, transaction

    day = _day(world)
    first = _register(day, "13900000001")
    other = _day(world, InstitutionFactory(county=world.county_a))
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            visit_day=other,
            year=2027,
            name="x",
            phone="13900000001",
            party_size=1,
            phone_slot=first.phone_slot,
            code="ZZZZZZZZZZ",
        )


def test_party_size_and_phone_are_checked(world):
    day = _day(world)
    with pytest.raises(ValidationError):
        _register(day, "13900000001", 6)
    with pytest.raises(ValidationError):
        _register(day, "12345")


def test_registration_closes_after_the_open_day(world, time_machine):
    day = _day(world)
    time_machine.move_to("2027-06-20 09:00 +0800")
    with pytest.raises(ValidationError):
        _register(day, "13900000001")


@FAST
def test_registering_through_the_page_shows_the_code(world, client):
    _day(world)
    url = reverse(
        "openday:visit_register", kwargs={"year": 2027, "institution": world.institution_a.pk}
    )
    response = client.post(
        url, public_form(name="李雷", phone="13900000009", party_size=2, status="x")
    )
    registration = Registration.objects.get(phone="13900000009")
    assert registration.party_size == 2
    assert registration.status == "active"
    assert registration.code in response.content.decode()


@FAST
def test_a_robot_filling_the_hidden_field_is_refused(world, client):
    _day(world)
    url = reverse(
        "openday:visit_register", kwargs={"year": 2027, "institution": world.institution_a.pk}
    )
    client.post(url, public_form(name="bot", phone="13900000009", party_size=1, website="x"))
    assert not Registration.objects.filter(phone="13900000009").exists()


def test_a_form_sent_back_at_once_is_refused(world, client):
    _day(world)
    url = reverse(
        "openday:visit_register", kwargs={"year": 2027, "institution": world.institution_a.pk}
    )
    client.post(url, public_form(name="bot", phone="13900000009", party_size=1))
    assert not Registration.objects.filter(phone="13900000009").exists()


@FAST
@override_settings(
    AUDIT_RULES_OVERRIDES={"openday_form_min_seconds": 0, "openday_form_submissions_per_window": 2}
)
def test_submissions_are_rate_limited_per_address(world, client):
    _day(world, capacity=100)
    url = reverse(
        "openday:visit_register", kwargs={"year": 2027, "institution": world.institution_a.pk}
    )
    for n in range(3):
        client.post(url, public_form(name="人", phone=f"1390000001{n}", party_size=1))
    assert Registration.objects.filter(phone__startswith="139000000").count() == 2


@FAST
def test_lookup_needs_code_and_phone_and_cancel_works(world, client):
    registration = world.registration
    wrong = client.post(
        reverse("openday:visit_lookup"), public_form(code=registration.code, phone="13900000000")
    )
    assert "王小明" not in wrong.content.decode()
    right = client.post(
        reverse("openday:visit_lookup"),
        public_form(code=registration.code.lower(), phone=registration.phone),
    )
    assert right.status_code == 200
    client.post(
        reverse("openday:visit_cancel"),
        public_form(code=registration.code, phone=registration.phone),
    )
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_staff_see_the_registrations_with_contact_details(world, client_for):
    response = client_for("county_a_staff").get(
        reverse("openday:registration_list", args=[world.visit_day.pk])
    )
    assert "13912345678" in response.content.decode()


def test_capacity_cannot_drop_below_the_people_registered(world):
    with pytest.raises(ValidationError):
        _day(world, capacity=1)


@FAST
def test_the_lookup_offers_to_cancel_only_a_registration_that_stands(world, client):
    registration = world.registration
    cancel = reverse("openday:visit_cancel")

    def lookup():
        return client.post(
            reverse("openday:visit_lookup"),
            public_form(code=registration.code, phone=registration.phone),
        ).content.decode()

    assert cancel in lookup()
    services.registration_cancel(registration=registration)
    assert cancel not in lookup()
