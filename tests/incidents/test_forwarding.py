"""Forwarding each report upward level by level (逐级上报): the county bureau to the city bureau,
the city bureau to the province, each within two hours of receiving it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit_portal.core import pdf
from audit_portal.notices.models import Notification
from audit_portal.notices.reminders import reminders_send
from audit_portal.notices.selectors import inbox
from incidents import services
from incidents.chain import ClockState, forwarding_clocks
from incidents.models import Channel, Forwarding, Incident, Kind
from incidents.reminders import forwarding_reminders
from incidents.selectors import overdue_panel
from tests.incidents.factories import figures, file_incident, followup

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)
TWO_HOURS = datetime.timedelta(hours=2)
TO_CITY, TO_PROVINCE = Forwarding.Level.TO_CITY, Forwarding.Level.TO_PROVINCE


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def injury(world, clock):
    """An injury at institution A reported at NOW: county A receives it, the city does not."""
    return file_incident(world.institution_a, actor=world.users["institution_user"])


def states(incident, now=None):
    rows = forwarding_clocks(Incident.objects.get(pk=incident.pk), now or timezone.now())
    return [{c.level: c.state for c in row.clocks} for row in rows]


def the_clock(incident, level, index=0):
    rows = forwarding_clocks(Incident.objects.get(pk=incident.pk), timezone.now())
    return next(c for c in rows[index].clocks if c.level == level)


def forward(report, user, level, **kwargs):
    kwargs.setdefault("channel", Channel.SYSTEM if level == TO_CITY else Channel.PLATFORM)
    if level == TO_PROVINCE:
        kwargs.setdefault("recipient_name", "江苏省民政厅")
    return services.report_forward(report=report, actor=user, level=level, **kwargs)


def sections_of(user) -> dict:
    return {section.key: section for section in inbox(user)}


def due_at(incident):
    return Incident.objects.get(pk=incident.pk).forwarding_due_at


# The county bureau to the city bureau ----------------------------------------------------------


def test_a_report_starts_the_county_clock_and_leaves_the_city_waiting(injury):
    assert states(injury) == [{TO_CITY: ClockState.OWED, TO_PROVINCE: ClockState.WAITING}]
    assert due_at(injury) == NOW + TWO_HOURS


def test_the_county_forwards_on_time_up_to_the_120th_minute(world, injury, clock):
    clock.move_to(NOW + TWO_HOURS, tick=False)
    forwarding = forward(injury.reports.get(), world.users["county_a_staff"], TO_CITY)
    assert forwarding.received_at == NOW
    assert forwarding.forwarded_at == NOW + TWO_HOURS
    assert forwarding.sender == world.county_a and forwarding.recipient == world.city
    assert forwarding.late_by is None
    assert states(injury)[0][TO_CITY] == ClockState.ON_TIME


def test_the_county_forwarding_a_minute_after_is_late(world, injury, clock):
    clock.move_to(NOW + TWO_HOURS + MINUTE, tick=False)
    forwarding = forward(injury.reports.get(), world.users["county_a_staff"], TO_CITY)
    assert forwarding.late_by == MINUTE
    assert states(injury)[0][TO_CITY] == ClockState.LATE


def test_an_unforwarded_report_is_overdue_after_two_hours(injury, clock):
    clock.move_to(NOW + TWO_HOURS + MINUTE, tick=False)
    assert states(injury)[0][TO_CITY] == ClockState.OVERDUE
    assert the_clock(injury, TO_CITY).late_by == MINUTE


def test_every_report_is_forwarded_followups_included(world, injury, clock):
    clock.move_to(NOW + 10 * MINUTE, tick=False)
    followup(injury)
    assert len(states(injury)) == 2
    assert due_at(injury) == NOW + TWO_HOURS
    forward(injury.reports.get(stage="initial"), world.users["county_a_staff"], TO_CITY)
    # The follow-up's clock is now the earliest owed.
    assert due_at(injury) == NOW + 10 * MINUTE + TWO_HOURS


def test_the_county_forwarding_tells_the_city_staff(world, injury):
    forward(injury.reports.get(), world.users["county_a_staff"], TO_CITY)
    told = Notification.objects.filter(recipient=world.users["city_staff"], kind="incident_alert")
    assert told.filter(key__endswith=":forwarded").count() == 1


# The city bureau to the province ---------------------------------------------------------------


def test_the_province_clock_starts_when_the_county_forwards(world, injury, clock):
    clock.move_to(NOW + 90 * MINUTE, tick=False)
    forward(injury.reports.get(), world.users["county_a_staff"], TO_CITY)
    province = the_clock(injury, TO_PROVINCE)
    assert province.received_at == NOW + 90 * MINUTE
    assert province.state == ClockState.OWED
    assert due_at(injury) == NOW + 90 * MINUTE + TWO_HOURS


def test_the_city_forwards_to_the_province_on_time(world, injury, clock):
    clock.move_to(NOW + 30 * MINUTE, tick=False)
    forward(injury.reports.get(), world.users["county_a_staff"], TO_CITY)
    clock.move_to(NOW + 30 * MINUTE + TWO_HOURS, tick=False)
    forwarding = forward(injury.reports.get(), world.users["city_staff"], TO_PROVINCE)
    assert forwarding.received_at == NOW + 30 * MINUTE
    assert forwarding.recipient is None and forwarding.recipient_name == "江苏省民政厅"
    assert forwarding.late_by is None
    assert states(injury) == [{TO_CITY: ClockState.ON_TIME, TO_PROVINCE: ClockState.ON_TIME}]
    assert due_at(injury) is None


def test_the_city_forwarding_late_to_the_province(world, injury, clock):
    forward(injury.reports.get(), world.users["county_a_staff"], TO_CITY)
    clock.move_to(NOW + TWO_HOURS + 5 * MINUTE, tick=False)
    forwarding = forward(injury.reports.get(), world.users["city_staff"], TO_PROVINCE)
    assert forwarding.late_by == 5 * MINUTE
    assert states(injury)[0][TO_PROVINCE] == ClockState.LATE


def test_a_direct_alert_starts_the_province_clock_before_the_county_forwards(world, clock):
    death = file_incident(world.institution_a, kind=Kind.DEATH, figures=figures(deaths=1))
    province = the_clock(death, TO_PROVINCE)
    assert province.received_at == NOW
    # The city may forward at once, without waiting for the county.
    forward(death.reports.get(), world.users["city_staff"], TO_PROVINCE)
    clock.move_to(NOW + 3 * TWO_HOURS, tick=False)
    late = forward(death.reports.get(), world.users["county_a_staff"], TO_CITY)
    assert late.late_by == 2 * TWO_HOURS


def test_the_province_clock_starts_at_the_earlier_of_forwarding_and_alert(world, injury, clock):
    clock.move_to(NOW + 20 * MINUTE, tick=False)
    raised = followup(injury, figures=figures(deaths=3))  # 较大: the city is alerted directly
    clock.move_to(NOW + 50 * MINUTE, tick=False)
    forward(raised, world.users["county_a_staff"], TO_CITY)
    forward(injury.reports.get(stage="initial"), world.users["county_a_staff"], TO_CITY)
    initial_clock = the_clock(injury, TO_PROVINCE, 0)
    followup_clock = the_clock(injury, TO_PROVINCE, 1)
    assert initial_clock.received_at == NOW + 50 * MINUTE  # the county's forwarding
    assert followup_clock.received_at == NOW + 20 * MINUTE  # the direct alert, earlier
    assert due_at(injury) == NOW + 20 * MINUTE + TWO_HOURS


def test_a_station_under_the_city_owes_no_county_forwarding(world, clock):
    incident = file_incident(station=world.station, actor=world.users["station_staff"])
    assert states(incident) == [{TO_PROVINCE: ClockState.OWED}]
    assert due_at(incident) == NOW + TWO_HOURS
    with pytest.raises(PermissionDenied):
        forward(incident.reports.get(), world.users["county_a_staff"], TO_CITY)


# Refusals ------------------------------------------------------------------------------------


def test_the_city_cannot_forward_a_report_it_has_not_received(world, injury):
    with pytest.raises(ValidationError, match="尚未收到该报告"):
        forward(injury.reports.get(), world.users["city_staff"], TO_PROVINCE)
    assert not Forwarding.objects.exists()


def test_a_second_forwarding_is_refused_with_a_message(world, injury):
    forward(injury.reports.get(), world.users["county_a_staff"], TO_CITY)
    with pytest.raises(ValidationError, match="已上报市民政局"):
        forward(injury.reports.get(), world.users["county_a_staff"], TO_CITY)
    assert Forwarding.objects.count() == 1


def test_a_racing_double_submit_gets_the_message_not_a_server_error(world, injury, monkeypatch):
    forward(injury.reports.get(), world.users["county_a_staff"], TO_CITY)
    # The second request checked before the first was saved: only the database can tell.
    monkeypatch.setattr("incidents.services.chain._already_forwarded", lambda *args: False)
    monkeypatch.setattr(Forwarding, "validate_constraints", lambda self, exclude=None: None)
    with pytest.raises(ValidationError, match="已上报"):
        forward(injury.reports.get(), world.users["county_a_staff"], TO_CITY)
    assert Forwarding.objects.count() == 1


def test_only_the_city_forwards_to_the_province(world, injury):
    forward(injury.reports.get(), world.users["county_a_staff"], TO_CITY)
    with pytest.raises(PermissionDenied):
        forward(injury.reports.get(), world.users["county_a_staff"], TO_PROVINCE)


@pytest.mark.parametrize(
    "persona", ["institution_user", "station_staff", "county_b_staff", "admin", "supervisor"]
)
def test_nobody_else_forwards(world, injury, persona):
    with pytest.raises(PermissionDenied):
        forward(injury.reports.get(), world.users[persona], TO_CITY)
    assert not Forwarding.objects.exists()


def test_the_province_needs_its_name(world, injury):
    forward(injury.reports.get(), world.users["county_a_staff"], TO_CITY)
    with pytest.raises(ValidationError):
        forward(injury.reports.get(), world.users["city_staff"], TO_PROVINCE, recipient_name=" ")


# Pages ---------------------------------------------------------------------------------------


def post_forward(client, incident, report, **data):
    url = reverse("incidents:report_forward", args=[incident.pk])
    return client.post(url, {"report": report.pk, "channel": "system", **data}, follow=True)


def test_the_county_forwards_from_the_incident_page(world, injury, client_for):
    client = client_for("county_a_staff")
    page = client.get(reverse("incidents:incident_detail", args=[injury.pk])).content.decode()
    assert reverse("incidents:report_forward", args=[injury.pk]) in page
    response = post_forward(client, injury, injury.reports.get(), reference="东民报〔2026〕3号")
    assert response.redirect_chain[-1][0].endswith("#chain")
    forwarding = Forwarding.objects.get()
    assert forwarding.forwarded_by == world.users["county_a_staff"]
    assert forwarding.reference == "东民报〔2026〕3号"
    assert forwarding.level == TO_CITY
    assert world.users["county_a_staff"].get_full_name() in response.content.decode()


def test_a_double_submit_on_the_page_shows_the_message(world, injury, client_for):
    client = client_for("county_a_staff")
    post_forward(client, injury, injury.reports.get())
    response = post_forward(client, injury, injury.reports.get())
    assert response.status_code == 200
    assert Forwarding.objects.count() == 1
    messages = [str(m) for m in response.context["messages"]]
    assert any("已" in m or "already" in m for m in messages)


def test_the_city_names_the_province_from_the_page(world, injury, client_for):
    forward(injury.reports.get(), world.users["county_a_staff"], TO_CITY)
    client = client_for("city_staff")
    page = client.get(reverse("incidents:incident_detail", args=[injury.pk])).content.decode()
    assert 'name="recipient_name"' in page
    post_forward(
        client, injury, injury.reports.get(), recipient_name="江苏省民政厅", reference="P-1"
    )
    assert Forwarding.objects.get(level=TO_PROVINCE).recipient_name == "江苏省民政厅"


@pytest.mark.parametrize(("persona", "status"), [("station_staff", 403), ("county_b_staff", 404)])
def test_others_are_refused_on_the_page(world, injury, client_for, persona, status):
    url = reverse("incidents:report_forward", args=[injury.pk])
    response = client_for(persona).post(url, {"report": injury.reports.get().pk})
    assert response.status_code == status
    assert not Forwarding.objects.exists()


def test_a_report_of_another_incident_is_not_forwarded(world, injury, client_for):
    other = world.incident_b.reports.get()
    post_forward(client_for("county_a_staff"), injury, other)
    assert not Forwarding.objects.exists()


def test_the_forwarding_offers_no_form_to_those_who_do_not_owe(world, injury, client_for):
    page = client_for("city_staff").get(reverse("incidents:incident_detail", args=[injury.pk]))
    assert 'name="recipient_name"' not in page.content.decode()


def test_the_list_shows_the_forwarding_clock(world, injury, client_for, clock):
    listing = reverse("incidents:incident_list")
    client = client_for("county_a_staff")
    assert "badge--warn" in client.get(listing).content.decode()
    clock.move_to(NOW + TWO_HOURS + MINUTE, tick=False)
    page = client_for("county_a_staff").get(listing).content.decode()  # a new session
    assert "badge badge--bad" in page


def test_the_pdf_shows_each_clock_and_whether_it_was_met(world, injury, clock, monkeypatch):
    rendered = []

    class Capture:
        def __init__(self, *, string, **kwargs):
            rendered.append(string)

        def write_pdf(self):
            return b"%PDF-1.7\n%%EOF\n"

    monkeypatch.setattr(pdf, "HTML", Capture)
    clock.move_to(NOW + TWO_HOURS + 3 * MINUTE, tick=False)
    forward(injury.reports.get(), world.users["county_a_staff"], TO_CITY, reference="东民报-7")
    response = pdf_client(world).get(reverse("incidents:incident_pdf", args=[injury.pk]))
    assert response.status_code == 200
    html = rendered[0]
    assert "东民报-7" in html
    assert world.city.name in html or "市" in html
    assert "3" in html and ("迟" in html or "late" in html)


def pdf_client(world):
    from django.test import Client

    client = Client()
    client.force_login(world.users["city_staff"])
    return client


# The inbox, the home page, the reminders ------------------------------------------------------


def owes(user, incident) -> bool:
    section = sections_of(user).get("incidents_reports_to_forward")
    url = reverse("incidents:incident_detail", args=[incident.pk]) + "#chain"
    return section is not None and any(item.url == url for item in section.items)


def test_the_county_inbox_lists_the_report_until_it_is_forwarded(world, injury):
    county, city = world.users["county_a_staff"], world.users["city_staff"]
    assert owes(county, injury)
    assert not owes(city, injury)
    assert not owes(world.users["county_b_staff"], injury)
    forward(injury.reports.get(), county, TO_CITY)
    assert not owes(county, injury)
    # Now the city owes it, until it goes to the province.
    assert owes(city, injury)
    forward(injury.reports.get(), city, TO_PROVINCE)
    assert not owes(city, injury)


def forwarding_panel(user):
    return overdue_panel(user)["forwarding"]


def test_the_home_panel_shows_forwarding_overdue_for_the_users_level(world, injury, clock):
    county, city = world.users["county_a_staff"], world.users["city_staff"]
    assert forwarding_panel(county) is None
    clock.move_to(NOW + TWO_HOURS + MINUTE, tick=False)
    panel = forwarding_panel(county)
    assert [report.incident_id for report in panel["rows"]] == [injury.pk]
    assert panel["count"] == 1
    # The city sees the county's lateness counted, but owes nothing itself yet.
    assert forwarding_panel(city)["rows"] == []
    assert forwarding_panel(world.users["county_b_staff"]) is None


def test_the_staff_home_page_shows_the_overdue_forwarding(world, injury, clock, client_for):
    clock.move_to(NOW + TWO_HOURS + MINUTE, tick=False)
    page = client_for("county_a_staff").get(reverse("home")).content.decode()
    assert f'href="{reverse("incidents:incident_detail", args=[injury.pk])}#chain"' in page


def test_an_overdue_forwarding_is_reminded_once_to_the_bureau_that_owes_it(world, injury, clock):
    assert list(forwarding_reminders(NOW.date())) == []
    clock.move_to(NOW + TWO_HOURS + MINUTE, tick=False)
    (reminder,) = forwarding_reminders(NOW.date())
    assert reminder.key == f"incident:{injury.pk}:report:{injury.reports.get().pk}:to_city:overdue"
    assert world.users["county_a_staff"] in reminder.recipients
    assert world.users["city_staff"] not in reminder.recipients
    reminders_send(on=NOW.date())
    reminders_send(on=NOW.date())
    told = Notification.objects.filter(key=reminder.key, recipient=world.users["county_a_staff"])
    assert told.count() == 1


def test_the_city_is_reminded_of_the_province(world, injury, clock):
    forward(injury.reports.get(), world.users["county_a_staff"], TO_CITY)
    clock.move_to(NOW + TWO_HOURS + MINUTE, tick=False)
    (reminder,) = [r for r in forwarding_reminders(NOW.date()) if f":{injury.pk}:" in r.key]
    assert reminder.key.endswith(":to_province:overdue")
    assert world.users["city_staff"] in reminder.recipients
    assert world.users["county_a_staff"] not in reminder.recipients
