"""The incident policies (``incidents/policies.py``): each action allowed, refused for who the user
is (a 403) and refused for the incident's state or the time (the reason, as the services always
said it), the services and pages asking them, and the incident page offering an action only when
the policy allows it.

World: ``incident_a`` (an injury at institution A, initial report only, open), ``station_incident``
(at the rescue station), ``alert_county_a``."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents import services
from incidents.models import STAGE_FIELDS, Incident, Kind, PoliceRecord, Stage
from incidents.policies import (
    IncidentPolicy,
    alert_policy,
    closing_refusal,
    incident_policy,
    police_message,
    report_policy,
)
from tests.incidents.factories import FINAL, figures, file_incident, final, police

pytestmark = pytest.mark.django_db

REPORTER = ("follow_up", "final", "amend", "police_record")
RECEIVER = ("acknowledge", "comment")
ALL = (*REPORTER, *RECEIVER, "close")


def outcome(policy, action, user, obj) -> str:
    """``ok``, ``role`` (who the user is: 403) or ``state`` (the object or the time)."""
    refusal = policy.check(action, user, obj)
    if refusal is None:
        return "ok"
    return "role" if refusal.role else "state"


def outcomes(world, persona: str, incident: Incident) -> dict[str, str]:
    user = world.users[persona]
    return {action: outcome(incident_policy, action, user, incident) for action in ALL}


def table(ok=(), state=()) -> dict[str, str]:
    return {
        action: "ok" if action in ok else "state" if action in state else "role" for action in ALL
    }


def reporter(world):
    return world.users["institution_user"]


def initial_fields(report) -> dict:
    return {name: getattr(report, name) for name in STAGE_FIELDS[Stage.INITIAL]}


def close(incident, world) -> None:
    services.incident_close(incident=incident, actor=world.users["county_a_staff"], text="处置完毕")
    incident.refresh_from_db()


# Who the user is, on an open incident -------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, expected",
    [
        # The reporting body files; a plain injury owes no police record.
        (
            "institution_user",
            table(ok=("follow_up", "final", "amend"), state=("police_record",)),
        ),
        # Staff of the bodies that see it acknowledge and comment; the bureaus close (later).
        ("county_a_staff", table(ok=RECEIVER, state=("close",))),
        ("city_staff", table(ok=RECEIVER, state=("close",))),
        ("admin", table(ok=RECEIVER, state=("close",))),
        # The placing station receives but may not close.
        ("station_staff", table(ok=RECEIVER)),
        # Outside the incident's bodies: refused whoever they are (and the page is a 404).
        ("county_b_staff", table()),
        ("supervisor", table()),
    ],
)
def test_each_persona_on_an_open_incident(world, persona, expected):
    assert outcomes(world, persona, world.incident_a) == expected


def test_the_station_reports_for_an_incident_at_the_station(world):
    assert outcomes(world, "station_staff", world.station_incident) == table(
        ok=("follow_up", "final", "amend", *RECEIVER), state=("police_record",)
    )
    assert outcomes(world, "institution_user", world.station_incident) == table()


def test_allowed_lists_the_actions_the_page_offers(world):
    assert incident_policy.allowed(reporter(world), world.incident_a) == {
        "follow_up",
        "final",
        "amend",
        "declare_over",
        "record_change",
        "record_regulator",
    }
    assert incident_policy.allowed(world.users["county_a_staff"], world.incident_a) == {
        "acknowledge",
        "comment",
        "declare_over",
        "forward",
        "record_regulator",
    }
    assert incident_policy.allowed(world.users["supervisor"], world.incident_a) == set()


def test_an_unknown_action_is_a_programming_error(world):
    with pytest.raises(ValueError, match="no action"):
        incident_policy.check("delete", reporter(world), world.incident_a)


# The incident's state and the time ----------------------------------------------------------------


def test_stages_need_the_initial_report_first(world):
    incident = Incident.objects.create(
        institution=world.institution_a,
        kind=Kind.INJURY,
        occurred_at=timezone.now(),
        discovered_at=timezone.now(),
        reported_at=timezone.now(),
        reported_by=reporter(world),
    )
    user = reporter(world)
    assert incident_policy.check("follow_up", user, incident).message == _(
        "A follow-up report comes after the initial report."
    )
    assert incident_policy.check("final", user, incident).message == _(
        "The final report comes after the initial report."
    )


def test_after_the_final_report_only_amendments_and_the_closure(world):
    incident = world.incident_a
    final(incident, actor=reporter(world))
    incident.refresh_from_db()
    user = reporter(world)
    assert incident_policy.check("follow_up", user, incident).message == _(
        "The final report has been filed: no further follow-ups."
    )
    assert incident_policy.check("final", user, incident).message == _(
        "The final report has already been filed."
    )
    assert incident_policy.allowed(user, incident) == {"amend", "record_change", "record_regulator"}
    assert incident_policy.allowed(world.users["county_a_staff"], incident) == {
        "acknowledge",
        "comment",
        "close",
        "forward",
        "record_regulator",
    }
    # The station receives but never closes, whatever the state.
    assert outcome(incident_policy, "close", world.users["station_staff"], incident) == "role"


def test_a_closed_incident_takes_no_more_reports_but_still_comments(world):
    incident = file_incident(world.institution_a, kind=Kind.ABUSE)
    services.police_record_add(incident=incident, actor=reporter(world), **police())
    final(incident, actor=reporter(world))
    close(incident, world)
    user = reporter(world)
    assert incident_policy.allowed(user, incident) == set()
    assert incident_policy.check("amend", user, incident).message == _(
        "The incident is closed: its reports can no longer be amended."
    )
    assert incident_policy.check("police_record", user, incident).message == _(
        "The incident is closed."
    )
    staff = world.users["county_a_staff"]
    assert incident_policy.check("close", staff, incident).message == _(
        "The incident is already closed."
    )
    # Reports never forwarded are still owed upward, closed or not.
    assert incident_policy.allowed(staff, incident) == {"acknowledge", "comment", "forward"}


def test_a_police_record_is_for_the_kinds_that_owe_one(world):
    user = reporter(world)
    assert incident_policy.check("police_record", user, world.incident_a).message == _(
        "This kind of incident needs no police record here."
    )
    abuse = file_incident(world.institution_a, kind=Kind.ABUSE)
    assert incident_policy.allows("police_record", user, abuse)
    assert not incident_policy.allows("police_record", world.users["county_a_staff"], abuse)


def test_the_final_report_waits_for_an_owed_police_record(world):
    incident = file_incident(world.institution_a, kind=Kind.ABUSE)
    user = reporter(world)
    refusal = incident_policy.check("final", user, incident)
    assert not refusal.role
    assert refusal.message == police_message(incident)
    assert "移送公安" in refusal.message
    # A follow-up is never held back for it.
    assert incident_policy.allows("follow_up", user, incident)
    services.police_record_add(incident=incident, actor=user, **police())
    assert incident_policy.allows("final", user, incident)


def test_a_missing_resident_owes_the_police_only_once_the_delay_is_over(world):
    incident = file_incident(world.institution_a, kind=Kind.MISSING, minutes_ago=20, police=None)
    user = reporter(world)
    assert IncidentPolicy(now=timezone.now()).allows("final", user, incident)
    later = IncidentPolicy(now=timezone.now() + datetime.timedelta(hours=2))
    refusal = later.check("final", user, incident)
    assert refusal == later.check("final", user, incident)  # the same reason each time
    assert not refusal.role and refusal.message == police_message(incident)


def test_the_closure_waits_for_a_police_record_a_later_death_owes(world):
    incident = world.incident_a
    user = reporter(world)
    report = final(incident, actor=user)
    services.report_amend(
        report=report,
        actor=user,
        reason="伤者经抢救无效死亡",
        fields={**FINAL, "event_time": incident.occurred_at},
        figures=figures(deaths=1),
    )
    incident.refresh_from_db()
    staff = world.users["county_a_staff"]
    refusal = incident_policy.check("close", staff, incident)
    assert not refusal.role and str(PoliceRecord.Kind.DEATH.label) in refusal.message
    assert incident_policy.allows("police_record", user, incident)
    services.police_record_add(incident=incident, actor=user, **police())
    assert incident_policy.allows("close", staff, incident)


def test_each_organisation_acknowledges_once(world):
    staff = world.users["county_a_staff"]
    services.incident_acknowledge(incident=world.incident_a, actor=staff)
    assert incident_policy.check("acknowledge", staff, world.incident_a).message == _(
        "Your organisation has already acknowledged this incident."
    )
    assert incident_policy.allows("acknowledge", world.users["city_staff"], world.incident_a)
    assert incident_policy.allows("comment", staff, world.incident_a)


# A report: which version is amended ---------------------------------------------------------------


def test_the_latest_version_of_a_report_is_amended(world):
    user = reporter(world)
    original = world.report_a
    assert report_policy.allows("amend", user, original)
    assert outcome(report_policy, "amend", world.users["county_a_staff"], original) == "role"
    amendment = services.report_amend(
        report=original,
        actor=user,
        reason="地点有误",
        fields=initial_fields(original),
        figures=figures(),
    )
    original.refresh_from_db()
    assert report_policy.check("amend", user, original).message == _(
        "This version has already been amended: amend the latest one."
    )
    assert report_policy.allows("amend", user, amendment)


def test_no_version_is_amended_once_the_incident_is_closed(world):
    incident = world.incident_a
    report = final(incident, actor=reporter(world))
    close(incident, world)
    report.refresh_from_db()
    assert report_policy.check("amend", reporter(world), report).message == _(
        "The incident is closed: its reports can no longer be amended."
    )


# Alerts and new incidents -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("county_a_staff", "ok"),
        ("station_staff", "role"),
        ("city_staff", "role"),
        ("admin", "role"),
        ("institution_user", "role"),
    ],
)
def test_only_the_recipient_reads_an_alert(world, persona, expected):
    assert outcome(alert_policy, "read", world.users[persona], world.alert_county_a) == expected


def test_an_incident_is_reported_by_its_place_only(world):
    def allows(persona, **place):
        return incident_policy.allows_report_for(world.users[persona], **place)

    assert allows("institution_user", institution=world.institution_a)
    assert not allows("institution_user", institution=world.institution_b)
    assert allows("station_staff", station=world.station)
    assert not allows("station_staff", institution=world.institution_a)
    assert not allows("county_a_staff", institution=world.institution_a)
    assert not allows("admin", institution=world.institution_a)
    assert not allows("institution_user")
    with pytest.raises(PermissionDenied):
        incident_policy.require_report_for(
            world.users["county_a_staff"], institution=world.institution_a
        )


# The services require the policy ------------------------------------------------------------------


def test_the_services_refuse_the_role_with_403_and_the_state_with_the_reason(world):
    staff = world.users["county_a_staff"]
    with pytest.raises(PermissionDenied):
        services.incident_acknowledge(incident=world.incident_a, actor=reporter(world))
    with pytest.raises(PermissionDenied):
        services.incident_comment(
            incident=world.incident_a, actor=world.users["county_b_staff"], text="x"
        )
    with pytest.raises(PermissionDenied):
        services.alert_mark_read(alert=world.alert_county_a, actor=world.users["admin"])
    with pytest.raises(ValidationError) as refused:
        services.incident_close(incident=world.incident_a, actor=staff)
    assert refused.value.messages == [
        closing_refusal([_("the final report"), _("the reason for closing it")])
    ]
    with pytest.raises(ValidationError) as refused:
        services.police_record_add(incident=world.incident_a, actor=reporter(world), **police())
    assert refused.value.messages == [_("This kind of incident needs no police record here.")]


# The pages ----------------------------------------------------------------------------------------


def detail(client, incident) -> str:
    response = client.get(reverse("incidents:incident_detail", args=[incident.pk]))
    assert response.status_code == 200
    return response.content.decode()


def offered(page: str, incident: Incident) -> set[str]:
    """The actions whose link or form the page shows."""
    urls = {
        "follow_up": "incidents:incident_followup",
        "final": "incidents:incident_final",
        "police_record": "incidents:police_record_add",
        "declare_over": "incidents:incident_declare_over",
        "record_change": "incidents:casualties_change",
        "acknowledge": "incidents:incident_acknowledge",
        "comment": "incidents:incident_comment",
        "close": "incidents:incident_close",
        "forward": "incidents:report_forward",
        "record_regulator": "incidents:regulator_report_add",
    }
    shown = {action for action, name in urls.items() if reverse(name, args=[incident.pk]) in page}
    amend_urls = [reverse("incidents:report_amend", args=[r.pk]) for r in incident.reports.all()]
    if any(url in page for url in amend_urls):
        shown.add("amend")
    return shown


@pytest.mark.parametrize(
    "persona", ["institution_user", "county_a_staff", "city_staff", "station_staff", "admin"]
)
def test_the_page_offers_exactly_the_allowed_actions(world, client_for, persona):
    incident = world.incident_a
    page = detail(client_for(persona), incident)
    assert offered(page, incident) == incident_policy.allowed(world.users[persona], incident)


def test_the_page_follows_the_incident_through_its_states(world, client_for):
    incident = file_incident(world.institution_a, kind=Kind.ABUSE)
    reporter_client, staff_client = client_for("institution_user"), client_for("county_a_staff")
    # A police referral owed: recorded from the page; the final report waits for it.
    assert offered(detail(reporter_client, incident), incident) == {
        "follow_up",
        "police_record",
        "amend",
        "declare_over",
        "record_change",
        "record_regulator",
    }
    services.police_record_add(incident=incident, actor=reporter(world), **police())
    assert "final" in offered(detail(reporter_client, incident), incident)
    final(incident, actor=reporter(world))
    assert offered(detail(reporter_client, incident), incident) == {
        "police_record",
        "amend",
        "record_change",
        "record_regulator",
    }
    # The county bureau also owes the reports upward (逐级上报) until it forwards them.
    chain = {"forward", "record_regulator"}
    assert offered(detail(staff_client, incident), incident) == {
        "acknowledge",
        "comment",
        "close",
        *chain,
    }
    staff_client.post(reverse("incidents:incident_acknowledge", args=[incident.pk]))
    assert offered(detail(staff_client, incident), incident) == {"comment", "close", *chain}
    close(incident, world)
    assert offered(detail(reporter_client, incident), incident) == set()
    assert offered(detail(staff_client, incident), incident) == {"comment", "forward"}


def test_only_the_latest_version_offers_an_amendment(world, client_for):
    original = world.report_a
    amendment = services.report_amend(
        report=original,
        actor=reporter(world),
        reason="地点有误",
        fields=initial_fields(original),
        figures=figures(),
    )
    page = detail(client_for("institution_user"), world.incident_a)
    assert reverse("incidents:report_amend", args=[amendment.pk]) in page
    assert reverse("incidents:report_amend", args=[original.pk]) not in page


def test_the_list_offers_a_report_to_the_reporting_bodies_only(world, client_for):
    create = reverse("incidents:incident_create")
    for persona, shown in [
        ("institution_user", True),
        ("station_staff", True),
        ("county_a_staff", False),
        ("admin", False),
    ]:
        page = client_for(persona).get(reverse("incidents:incident_list")).content.decode()
        assert (create in page) is shown, persona


def test_the_alert_list_offers_reading_to_the_recipient_only(world, client_for):
    read = reverse("incidents:alert_read", args=[world.alert_county_a.pk])
    page = client_for("county_a_staff").get(reverse("incidents:alert_list")).content.decode()
    assert read in page
    # The administrator sees every alert but reads none: they are the organisations' own.
    page = client_for("admin").get(reverse("incidents:alert_list")).content.decode()
    assert reverse("incidents:incident_detail", args=[world.incident_a.pk]) in page
    assert read not in page


def test_a_page_answers_404_outside_scope_403_for_the_role_and_the_reason_for_the_state(
    world, client_for
):
    amend = reverse("incidents:report_amend", args=[world.report_a.pk])
    assert client_for("county_b_staff").get(amend).status_code == 404
    assert client_for("county_a_staff").get(amend).status_code == 403
    assert client_for("institution_user").get(amend).status_code == 200
    close_url = reverse("incidents:incident_close", args=[world.incident_a.pk])
    assert client_for("station_staff").post(close_url).status_code == 403
    response = client_for("county_a_staff").post(close_url)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        closing_refusal([_("the final report"), _("the reason for closing it")])
    ]
    police_url = reverse("incidents:police_record_add", args=[world.incident_a.pk])
    data = {
        "reported_at": "2026-01-01T10:00",
        "police_station": "东湖派出所",
        "case_number": "A-1",
    }
    response = client_for("institution_user").post(police_url, data)
    assert response.status_code == 200
    assert _("This kind of incident needs no police record here.") in response.content.decode()
