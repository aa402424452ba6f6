"""Reports to the relevant safety regulators (相关安全监督管理部门), as the kind of incident
requires, within the same hour as the initial report."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit_portal.notices.selectors import inbox
from incidents import services
from incidents.chain import mark_regulators_missing
from incidents.models import Incident, Kind, RegulatorReport, regulators_missing
from tests.incidents.factories import file_incident, local

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def fire(world, clock):
    """A fire at institution A discovered 30 minutes ago, reported now."""
    return file_incident(world.institution_a, kind=Kind.FIRE)


def record(incident, regulator, actor, **kwargs):
    kwargs.setdefault("notified_at", incident.discovered_at + 5 * MINUTE)
    kwargs.setdefault("notified_by", "院长 周海涛")
    kwargs.setdefault("authority", "东湖区消防救援大队")
    return services.regulator_report_add(
        incident=incident, actor=actor, regulator=regulator, **kwargs
    )


def missing(incident):
    return regulators_missing(Incident.objects.get(pk=incident.pk))


@pytest.mark.parametrize(
    ("kind", "required"),
    [
        (Kind.FIRE, ["fire_rescue", "emergency_management"]),
        (Kind.FOOD_SAFETY, ["market_supervision", "health"]),
        (Kind.INJURY, []),
        (Kind.OTHER, []),
    ],
)
def test_the_kind_decides_which_regulators_must_be_told(world, clock, kind, required):
    incident = file_incident(world.institution_a, kind=kind)
    assert missing(incident) == required


def test_a_regulator_recorded_is_no_longer_missing(world, fire):
    record(fire, "fire_rescue", world.users["institution_user"], reference="119-0310")
    assert missing(fire) == ["emergency_management"]
    record(fire, "emergency_management", world.users["county_a_staff"])
    assert missing(fire) == []
    told = RegulatorReport.objects.get(incident=fire, regulator="fire_rescue")
    assert told.reference == "119-0310"
    assert told.recorded_by == world.users["institution_user"]
    assert told.recorded_at == NOW


def test_a_regulator_is_recorded_once_with_a_message(world, fire):
    record(fire, "fire_rescue", world.users["institution_user"])
    with pytest.raises(ValidationError, match="已登记向该监管部门的报告"):
        record(fire, "fire_rescue", world.users["county_a_staff"])
    assert RegulatorReport.objects.filter(incident=fire).count() == 1


def test_a_racing_double_submit_gets_the_message(world, fire, monkeypatch):
    record(fire, "fire_rescue", world.users["institution_user"])
    monkeypatch.setattr("incidents.services.chain._already_recorded", lambda *args: False)
    monkeypatch.setattr(RegulatorReport, "validate_constraints", lambda self, exclude=None: None)
    with pytest.raises(ValidationError, match="已登记向该监管部门的报告"):
        record(fire, "fire_rescue", world.users["institution_user"])


def test_the_time_told_is_not_in_the_future(world, fire):
    with pytest.raises(ValidationError):
        record(fire, "fire_rescue", world.users["institution_user"], notified_at=NOW + MINUTE)


def test_the_time_told_is_not_before_the_discovery(world, fire):
    with pytest.raises(ValidationError):
        record(
            fire,
            "fire_rescue",
            world.users["institution_user"],
            notified_at=fire.discovered_at - datetime.timedelta(minutes=2),
        )


def test_the_time_told_needs_a_name(world, fire):
    with pytest.raises(ValidationError):
        record(fire, "fire_rescue", world.users["institution_user"], notified_by=" ")


@pytest.mark.parametrize("persona", ["station_staff", "admin", "supervisor", "county_b_staff"])
def test_only_the_reporting_body_and_its_bureaus_record(world, fire, persona):
    with pytest.raises(PermissionDenied):
        record(fire, "fire_rescue", world.users[persona])


# Pages ---------------------------------------------------------------------------------------


def detail(client, incident):
    return client.get(reverse("incidents:incident_detail", args=[incident.pk]))


def test_the_page_shows_the_missing_regulators_until_recorded(world, fire, client_for, clock):
    client = client_for("institution_user")
    response = detail(client, fire)
    assert [r.value for r in response.context["regulators_missing"]] == [
        "fire_rescue",
        "emergency_management",
    ]
    assert response.context["regulators_overdue"] is False
    clock.move_to(NOW + 31 * MINUTE, tick=False)  # the initial report's hour is over
    response = detail(client_for("institution_user"), fire)
    assert response.context["regulators_overdue"] is True
    url = reverse("incidents:regulator_report_add", args=[fire.pk])
    for regulator in ("fire_rescue", "emergency_management"):
        response = client_for("institution_user").post(
            url,
            {
                "regulator": regulator,
                "authority": "东湖区消防救援大队",
                "notified_at": local(fire.discovered_at + MINUTE),
                "notified_by": "周海涛",
                "reference": "119-1",
            },
        )
        assert response.status_code == 302
    response = detail(client_for("institution_user"), fire)
    assert response.context["regulators_missing"] == []
    assert "东湖区消防救援大队" in response.content.decode()


def test_an_invalid_record_shows_the_form_again(world, fire, client_for):
    url = reverse("incidents:regulator_report_add", args=[fire.pk])
    response = client_for("institution_user").post(url, {"regulator": "fire_rescue"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not RegulatorReport.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("station_staff", 403), ("county_b_staff", 404)])
def test_others_are_refused_on_the_page(world, fire, client_for, persona, status):
    url = reverse("incidents:regulator_report_add", args=[fire.pk])
    response = client_for(persona).post(
        url,
        {
            "regulator": "fire_rescue",
            "authority": "消防",
            "notified_at": local(fire.discovered_at),
            "notified_by": "某人",
        },
    )
    assert response.status_code == status
    assert not RegulatorReport.objects.exists()


def test_the_list_marks_an_incident_with_a_regulator_missing(world, fire, client_for):
    page = client_for("county_a_staff").get(reverse("incidents:incident_list"))
    listed = {incident.pk: incident for incident in page.context["page"]}
    assert listed[fire.pk].regulators_missing
    assert listed[world.incident_a.pk].regulators_missing == []


def test_marking_a_page_takes_one_query(world, fire, django_assert_num_queries):
    incidents = list(Incident.objects.filter(pk__in=[fire.pk, world.incident_a.pk]))
    with django_assert_num_queries(1):
        mark_regulators_missing(incidents)


def regulator_items(user):
    for section in inbox(user):
        if section.key == "incidents_regulators_to_record":
            return [item.url for item in section.items]
    return []


def test_the_reporting_body_is_asked_until_every_regulator_is_recorded(world, fire):
    reporter = world.users["institution_user"]
    url = reverse("incidents:incident_detail", args=[fire.pk]) + "#chain"
    assert url in regulator_items(reporter)
    assert regulator_items(world.users["county_a_staff"]) == []
    record(fire, "fire_rescue", reporter)
    assert url in regulator_items(reporter)
    record(fire, "emergency_management", reporter)
    assert url not in regulator_items(reporter)
