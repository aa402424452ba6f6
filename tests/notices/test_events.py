"""The events the services report: each reaches the people who must act or know, by role and
scope, nobody outside it (another institution's account, another county's staff), never the one
who acted, and never twice."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from audit_portal.accounts.models import User
from audit_portal.notices.models import Notification
from incidents import events as incident_events
from incidents.models import Kind as IncidentKind
from inspections import events as inspection_events
from inspections.services import inspections as inspection_services
from inspections.services import issues as issue_services
from openday import services as openday_services
from supervisors import services as supervisor_services
from tests.factories import UserFactory
from tests.files import png_upload
from tests.incidents.factories import file_incident, followup
from tests.inspections.factories import submitted_inspection

pytestmark = pytest.mark.django_db


def told(key: str) -> set[str]:
    return set(Notification.objects.filter(key=key).values_list("recipient__username", flat=True))


def staff_of(*organisations) -> set[str]:
    return set(
        User.objects.filter(role="staff", organisation__in=organisations).values_list(
            "username", flat=True
        )
    )


def told_about(prefix: str) -> list[str]:
    return sorted(
        Notification.objects.filter(key__startswith=prefix).values_list(
            "recipient__username", flat=True
        )
    )


@pytest.fixture
def outsiders(world):
    """Another institution's account and another city-bureau account, besides the personas."""
    return {
        "other_institution": UserFactory(
            username="other_institution",
            role=User.Role.INSTITUTION,
            organisation=None,
            institution=world.institution_b,
        ),
        "city_colleague": UserFactory(username="city_colleague", organisation=world.city),
    }


def _raise(world, **extra):
    return issue_services.issue_create(
        institution=world.institution_a,
        area="fire_safety",
        description="灭火器过期",
        severity="general",
        responsible_person="郑文",
        actor=world.users["county_a_staff"],
        **extra,
    )


def _rectify(issue, world):
    return issue_services.rectification_submit(
        issue=issue, actor=world.users["institution_user"], plan="已更换", uploads=[png_upload()]
    )


# Issues and rectification -----------------------------------------------------------------------


def test_an_issue_raised_on_its_own_tells_the_institution_at_once(world, outsiders):
    issue = _raise(world)
    assert told(f"issue:{issue.pk}:raised") == {"institution"}
    note = Notification.objects.get(key=f"issue:{issue.pk}:raised")
    assert note.kind == "issue_raised"
    assert note.url == reverse("inspections:issue_detail", args=[issue.pk])
    assert issue.number in note.text and issue.deadline.isoformat() in note.text


def test_an_inspections_issues_reach_the_institution_with_its_report(world, outsiders):
    staff = world.users["county_a_staff"]
    inspection, (issue,) = submitted_inspection(world.institution_a, staff)
    # The draft is the team's: the institution does not see it, nor hear of it, yet.
    assert told(f"issue:{issue.pk}:raised") == set()
    inspection_services.inspection_open_comments(inspection=inspection, actor=staff)
    assert told(f"issue:{issue.pk}:raised") == {"institution"}
    assert told(f"inspection:{inspection.pk}:for_comments") == {"institution"}
    inspection.refresh_from_db()
    text = Notification.objects.get(key=f"inspection:{inspection.pk}:for_comments").text
    assert inspection.comment_deadline.isoformat() in text


def test_a_rectification_reaches_the_county_and_the_team_that_found_the_issue(world, outsiders):
    city, station = world.users["city_staff"], world.users["station_staff"]
    inspection, (issue,) = submitted_inspection(world.institution_a, city, team=[station])
    inspection_services.inspection_open_comments(inspection=inspection, actor=city)
    rectification = _rectify(issue, world)
    # Not the whole city bureau, nor county B, nor the supervisor (not assigned there).
    assert told(f"rectification:{rectification.pk}:submitted") == staff_of(world.county_a) | {
        "city",
        "station",
    }


def test_the_assigned_supervisor_who_found_the_issue_verifies_it(world, assigned):
    supervisor, county = world.users["supervisor"], world.users["county_a_staff"]
    inspection, (issue,) = submitted_inspection(
        world.institution_a, supervisor, kind="supervisor_visit", team=[county]
    )
    inspection_services.inspection_open_comments(inspection=inspection, actor=county)
    rectification = _rectify(issue, world)
    assert told(f"rectification:{rectification.pk}:submitted") == staff_of(world.county_a) | {
        "supervisor"
    }


def test_a_rectification_decided_tells_the_institution_with_the_reason(world, outsiders):
    issue_services.rectification_decide(
        rectification=world.rectification_a,
        actor=world.users["county_a_staff"],
        accept=False,
        reason="照片不清晰",
    )
    key = f"rectification:{world.rectification_a.pk}:decided"
    assert told(key) == {"institution"}
    assert "照片不清晰" in Notification.objects.get(key=key).text


def test_an_accepted_rectification_says_the_issue_is_closed(world):
    issue_services.rectification_decide(
        rectification=world.rectification_a, actor=world.users["county_a_staff"], accept=True
    )
    note = Notification.objects.get(key=f"rectification:{world.rectification_a.pk}:decided")
    assert note.recipient == world.users["institution_user"]
    assert note.message.startswith("The rectification of issue %(number)s was accepted")


def test_an_extension_request_reaches_the_deciding_staff_and_its_decision_the_institution(
    world, assigned, outsiders
):
    issue = _raise(world)
    extension = issue_services.extension_request(
        issue=issue,
        actor=world.users["institution_user"],
        requested_deadline=issue.deadline + datetime.timedelta(days=10),
        reason="供货周期长",
    )
    # County A decides; the supervisor assigned there verifies but does not decide.
    assert told(f"extension:{extension.pk}:requested") == staff_of(world.county_a)
    issue_services.extension_decide(
        extension=extension, actor=world.users["county_a_staff"], approve=True, reason="同意"
    )
    assert told(f"extension:{extension.pk}:decided") == {"institution"}
    text = Notification.objects.get(key=f"extension:{extension.pk}:decided").text
    assert extension.requested_deadline.isoformat() in text


def test_an_event_sent_again_reaches_nobody_twice(world):
    issue = _raise(world)
    inspection_events.issue_raised(issue, actor=world.users["county_a_staff"])
    inspection_events.issue_raised(issue, actor=None)
    assert Notification.objects.filter(key=f"issue:{issue.pk}:raised").count() == 1


def test_nobody_is_told_of_their_own_action(world):
    _inspection, (issue,) = submitted_inspection(world.institution_a, world.users["city_staff"])
    inspection_events.issue_raised(issue, actor=world.users["institution_user"])
    assert told(f"issue:{issue.pk}:raised") == set()
    UserFactory(
        username="colleague",
        role=User.Role.INSTITUTION,
        organisation=None,
        institution=world.institution_a,
    )
    inspection_events.issue_raised(issue, actor=world.users["institution_user"])
    assert told(f"issue:{issue.pk}:raised") == {"colleague"}


# The open day ------------------------------------------------------------------------------------


def test_a_summary_waiting_for_approval_reaches_the_approvers_but_not_its_drafter(world):
    drafter = world.users["city_staff"]
    correction = openday_services.summary_correct(
        summary=world.summary, actor=drafter, reason="更正整改率"
    )
    assert told(f"summary:{correction.pk}:for_approval") == {"city_approver", "admin"}
    assert staff_of(world.city) == {"city", "city_approver"}


def test_a_summary_sent_back_tells_its_drafter(world):
    approver = world.approver
    openday_services.summary_approve(summary=world.draft, actor=approver)
    openday_services.summary_return(summary=world.draft, actor=approver, reason="数字需核对")
    key = f"summary:{world.draft.pk}:returned:"
    assert told_about(key) == ["city"]
    assert "数字需核对" in Notification.objects.get(key__startswith=key).text
    # Sent back again later (by someone who wrote no part of it): a new event, told again.
    admin = world.users["admin"]
    openday_services.summary_approve(summary=world.draft, actor=admin)
    openday_services.summary_return(summary=world.draft, actor=admin, reason="再核对")
    assert told_about(key) == ["city", "city"]


# Incidents ---------------------------------------------------------------------------------------


def test_each_report_of_an_incident_reaches_the_staff_of_the_alerted_bodies_once(world):
    incident = file_incident(world.institution_a)
    initial = incident.reports.get()
    assert told(f"incident:{incident.pk}:report:{initial.pk}") == staff_of(
        world.county_a, world.station
    )
    # The same report again: nobody twice.
    incident_events.incident_alerted(initial, list(initial.alerts.all()), actor=None)
    count = Notification.objects.filter(key__startswith=f"incident:{incident.pk}:").count()
    assert count == len(staff_of(world.county_a, world.station))
    report = followup(incident)
    assert told(f"incident:{incident.pk}:report:{report.pk}") == staff_of(
        world.county_a, world.station
    )


def test_a_missing_resident_reaches_the_city_too(world):
    incident = file_incident(world.institution_a, kind=IncidentKind.MISSING)
    assert told(f"incident:{incident.pk}:report:{incident.reports.get().pk}") == staff_of(
        world.county_a, world.station, world.city
    )


def test_the_alert_goes_through_the_notifications_mail(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        incident = file_incident(world.institution_b)
    to = sorted(address for message in mail.outbox for address in message.to)
    assert to == sorted(f"{username}@example.gov.cn" for username in staff_of(world.county_b))
    note = Notification.objects.get(
        recipient=world.users["county_b_staff"], key__startswith=f"incident:{incident.pk}:"
    )
    assert note.deliveries.get().status == "sent"
    assert f"/incidents/{incident.pk}/" in mail.outbox[0].body


# Complaints ---------------------------------------------------------------------------------------


def test_a_complaint_forwarded_by_a_supervisor_reaches_the_city_bureau(world, assigned):
    complaint = supervisor_services.complaint_forward(
        supervisor=world.supervisor_record,
        received_on=datetime.date(2026, 11, 30),
        summary="家属反映夜间无人值守",
        institution=world.institution_a,
        actor=world.users["supervisor"],
    )
    assert told(f"complaint:{complaint.pk}:forwarded") == staff_of(world.city) | {"admin"}


def test_a_public_complaint_reaches_its_county_and_the_supervisors_working_there(world, assigned):
    complaint = openday_services.complaint_submit(
        institution=world.institution_a, kind="complaint", text="饭菜偏凉"
    )
    assert told(f"public_complaint:{complaint.pk}:received") == staff_of(world.county_a) | {
        "supervisor"
    }
    text = Notification.objects.filter(key=f"public_complaint:{complaint.pk}:received")[0].text
    assert "饭菜偏凉" not in text


def test_a_public_complaint_skips_a_group_not_working_there(world):
    complaint = openday_services.complaint_submit(
        institution=world.institution_b, kind="suggestion", text="增加探视时段"
    )
    assert told(f"public_complaint:{complaint.pk}:received") == staff_of(world.county_b)
