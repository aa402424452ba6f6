"""The to-do inbox's sources: each lists the record for the person who must act, not for anyone
outside their scope, answers nothing for the roles it does not concern, and the item disappears
once the action is done through the real service. Every source counts in a couple of queries."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit_portal.accounts.models import User
from audit_portal.notices.registry import sources
from audit_portal.notices.selectors import inbox
from incidents import inbox as incident_inbox
from incidents import services as incident_services
from incidents.models import Kind as IncidentKind
from inspections import inbox as inspection_inbox
from inspections.dates import add_months
from inspections.models.reports import last_due_month
from inspections.services import inspections as inspection_services
from inspections.services import issues as issue_services
from inspections.services import registry as registry_services
from inspections.services import reports as report_services
from openday import inbox as openday_inbox
from openday import services as openday_services
from tests.factories import UserFactory
from tests.files import pdf_upload, png_upload
from tests.incidents.factories import file_incident
from tests.inspections.report_helpers import file_report

pytestmark = pytest.mark.django_db


def listed(source, user, *, on=None, limit=10):
    """The titles a source lists for ``user`` (None when it does not concern the user)."""
    section = source(user, on=on or timezone.localdate(), limit=limit)
    if section is None:
        return None
    assert section.count >= len(section.items)
    return [item.title for item in section.items]


def count(source, user, *, on=None):
    return source(user, on=on or timezone.localdate(), limit=0).count


@pytest.fixture
def other_institution_user(world):
    return UserFactory(
        username="other_institution",
        role=User.Role.INSTITUTION,
        organisation=None,
        institution=world.institution_b,
    )


# Staff ------------------------------------------------------------------------------------------


def test_a_rectification_waits_for_its_verifiers_until_it_is_decided(world):
    source = inspection_inbox.rectifications_to_verify
    county_a = world.users["county_a_staff"]
    number = world.issue_a2.number
    assert any(number in title for title in listed(source, county_a))
    for outsider in ("county_b_staff", "city_staff", "station_staff"):
        assert not any(number in title for title in listed(source, world.users[outsider]))
    assert listed(source, world.users["institution_user"]) is None
    before = count(source, county_a)
    issue_services.rectification_decide(
        rectification=world.rectification_a, actor=county_a, accept=True
    )
    assert not any(number in title for title in listed(source, county_a))
    assert count(source, county_a) == before - 1


@pytest.mark.parametrize("part", ["raised", "lead", "team"])
def test_a_rectification_waits_for_a_city_inspector_who_raised_led_or_joined(world, part):
    """Beyond the county, whoever raised the issue or inspected with the team verifies it."""
    source = inspection_inbox.rectifications_to_verify
    city = world.users["city_staff"]
    issue = world.issue_a2
    if part == "raised":
        type(issue).objects.filter(pk=issue.pk).update(raised_by=city)
    elif part == "lead":
        type(world.inspection_a).objects.filter(pk=world.inspection_a.pk).update(lead=city)
    else:
        world.inspection_a.team.add(city)
    assert any(issue.number in title for title in listed(source, city))
    assert not any(issue.number in title for title in listed(source, world.users["county_b_staff"]))


def test_an_extension_request_waits_for_a_decision_by_the_county(world, assigned):
    source = inspection_inbox.extensions_to_decide
    county_a = world.users["county_a_staff"]
    number = world.issue_a.number
    assert any(number in title for title in listed(source, county_a))
    assert not any(number in title for title in listed(source, world.users["county_b_staff"]))
    assert listed(source, world.users["supervisor"]) is None
    assert listed(source, world.users["institution_user"]) is None
    section = source(county_a, on=timezone.localdate(), limit=10)
    item = next(item for item in section.items if number in item.title)
    assert item.due == world.issue_a.deadline and not item.overdue
    issue_services.extension_decide(
        extension=world.extension_a, actor=county_a, approve=False, reason="按期完成"
    )
    assert not any(number in title for title in listed(source, county_a))


def test_a_document_waits_for_a_second_persons_check(world):
    source = inspection_inbox.documents_to_check
    county_a = world.users["county_a_staff"]
    document = registry_services.document_submit(
        institution=world.institution_a,
        kind="food_licence",
        number="JY-2026-0099",
        issuer="江海市市场监督管理局",
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2029, 1, 1),
        scans=[pdf_upload()],
        actor=county_a,
    )
    title = f"{document.get_kind_display()} · {world.institution_a.name}"
    # Four eyes: not for the one who submitted it; for a colleague and the city bureau.
    assert title not in listed(source, county_a)
    colleague = UserFactory(username="colleague", organisation=world.county_a)
    assert title in listed(source, colleague)
    assert title in listed(source, world.users["city_staff"])
    assert title not in listed(source, world.users["county_b_staff"])
    assert listed(source, world.users["station_staff"]) is None
    assert listed(source, world.users["institution_user"]) is None
    registry_services.document_verify(document=document, actor=colleague)
    assert title not in listed(source, world.users["city_staff"])


def test_a_monthly_report_waits_for_the_placing_stations_review(world):
    source = inspection_inbox.reports_to_review
    station = world.users["station_staff"]
    report = world.monthly_report_a
    title = f"{world.institution_a.name} · {report.month:%Y-%m}"
    assert title in listed(source, station)
    assert listed(source, world.users["county_a_staff"]) is None
    assert listed(source, world.users["institution_user"]) is None
    report_services.report_review(report=report, actor=station, accept=True)
    assert title not in listed(source, station)


def test_the_stations_monthly_visit_waits_until_it_is_made(world):
    source = inspection_inbox.visits_missing
    station = world.users["station_staff"]
    assert world.institution_a.name in listed(source, station)
    assert listed(source, world.users["county_a_staff"]) is None
    assert listed(source, world.users["supervisor"]) is None
    inspection_services.visit_record(
        agreement=world.agreement_a,
        performed_on=timezone.localdate(),
        residents_seen=12,
        summary="探视",
        actor=station,
    )
    assert world.institution_a.name not in listed(source, station)


# The institution ---------------------------------------------------------------------------------


def test_an_issue_due_soon_waits_for_its_rectification(world, other_institution_user):
    source = inspection_inbox.my_issues_due
    account = world.users["institution_user"]
    issue = issue_services.issue_create(
        institution=world.institution_a,
        area="fire_safety",
        description="疏散通道堆放杂物",
        severity="general",
        responsible_person="郑文",
        actor=world.users["county_a_staff"],
        rectification_days=1,
    )
    title = f"{issue.number} · {issue.get_area_display()}"
    assert title in listed(source, account)
    assert title not in listed(source, other_institution_user)
    assert listed(source, world.users["county_a_staff"]) is None
    late = source(account, on=issue.deadline + datetime.timedelta(days=1), limit=10)
    assert next(item for item in late.items if item.title == title).overdue
    issue_services.rectification_submit(
        issue=issue, actor=account, plan="已清理", uploads=[png_upload()]
    )
    assert title not in listed(source, account)


def test_an_issue_far_from_its_deadline_does_not_wait_yet(world):
    issue = issue_services.issue_create(
        institution=world.institution_a,
        area="daily_care",
        description="床单更换不及时",
        severity="general",
        responsible_person="郑文",
        actor=world.users["county_a_staff"],
        rectification_days=20,
    )
    titles = listed(inspection_inbox.my_issues_due, world.users["institution_user"])
    assert not any(issue.number in title for title in titles)


def test_a_report_waits_for_the_institutions_comments(world, other_institution_user):
    source = inspection_inbox.my_reports_for_comments
    account = world.users["institution_user"]
    assert count(source, account) == 1
    assert count(source, other_institution_user) == 0
    assert listed(source, world.users["county_a_staff"]) is None
    inspection_services.inspection_comment(
        inspection=world.inspection_a, actor=account, comment="无异议"
    )
    assert count(source, account) == 0


def test_a_missing_or_returned_monthly_report_waits_until_it_is_sent(world):
    source = inspection_inbox.my_reports_to_send
    account = world.users["institution_user"]
    today = timezone.localdate()
    missing = add_months(last_due_month(today), -2)
    section = source(account, on=today, limit=10)
    assert section.count == 1 and section.items[0].overdue
    assert section.items[0].url.endswith(f"?month={missing:%Y-%m}")
    assert listed(source, world.users["station_staff"]) is None
    report_services.report_review(
        report=world.monthly_report_a,
        actor=world.users["station_staff"],
        accept=False,
        reason="人数不符",
    )
    assert count(source, account) == 2
    file_report(world.institution_a, account, missing)
    report_services.report_submit(report=world.monthly_report_a, actor=account)
    assert count(source, account) == 0


# Incidents ---------------------------------------------------------------------------------------


def test_an_incident_waits_for_each_alerted_body_to_acknowledge_it(world):
    source = incident_inbox.incidents_to_acknowledge
    county_a, station = world.users["county_a_staff"], world.users["station_staff"]
    number = world.incident_a.number
    assert any(number in title for title in listed(source, county_a))
    assert any(number in title for title in listed(source, station))
    assert not any(number in title for title in listed(source, world.users["county_b_staff"]))
    assert listed(source, world.users["institution_user"]) is None
    assert listed(source, world.users["supervisor"]) is None
    incident_services.incident_acknowledge(incident=world.incident_a, actor=county_a)
    assert not any(number in title for title in listed(source, county_a))
    assert any(number in title for title in listed(source, station))


def test_a_police_record_owed_waits_for_the_reporting_body(world, other_institution_user):
    source = incident_inbox.incidents_owing_police
    account = world.users["institution_user"]
    incident = file_incident(
        world.institution_a, actor=account, kind=IncidentKind.MISSING, minutes_ago=30, police=None
    )
    assert count(source, account) == 0  # within the hour: not yet owed
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=40), tick=False):
        assert any(incident.number in title for title in listed(source, account))
        assert count(source, other_institution_user) == 0
        assert listed(source, world.users["county_a_staff"]) is None
        incident_services.police_record_add(
            incident=incident,
            actor=account,
            reported_at=timezone.now() - datetime.timedelta(minutes=5),
            police_station="东湖派出所",
            case_number="JJ-2026-118",
        )
        assert count(source, account) == 0


# The open day -------------------------------------------------------------------------------------


def test_a_summary_waits_for_an_approver_who_wrote_no_part_of_it(world):
    source = openday_inbox.summaries_to_approve
    assert count(source, world.approver) == 1
    assert count(source, world.users["admin"]) == 1
    assert count(source, world.users["city_staff"]) == 0  # its drafter
    assert listed(source, world.users["county_a_staff"]) is None
    assert listed(source, world.users["supervisor"]) is None
    openday_services.summary_approve(summary=world.draft, actor=world.approver)
    assert count(source, world.approver) == 0
    assert count(source, world.users["admin"]) == 0


def test_the_count_covers_every_item_waiting_beyond_those_listed(world):
    county_a = world.users["county_a_staff"]
    issue = issue_services.issue_create(
        institution=world.institution_a,
        area="hygiene",
        description="垃圾未分类",
        severity="general",
        responsible_person="郑文",
        actor=county_a,
    )
    issue_services.rectification_submit(
        issue=issue, actor=world.users["institution_user"], plan="已分类", uploads=[png_upload()]
    )
    source = inspection_inbox.rectifications_to_verify
    first = source(county_a, on=timezone.localdate(), limit=1)
    assert len(first.items) == 1
    assert first.count == count(source, county_a) == 2
    # The oldest report first.
    assert world.issue_a2.number in first.items[0].title


# Cost --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    ["admin", "city_staff", "county_a_staff", "station_staff", "supervisor", "institution_user"],
)
def test_every_source_takes_at_most_two_queries_however_many_items(world, persona):
    user = User.objects.get(pk=world.users[persona].pk)  # permissions not yet cached
    user.get_all_permissions()
    budget = 2 * len(sources("inbox_sources"))
    with CaptureQueriesContext(connection) as counting:
        inbox(user, limit=0)
    with CaptureQueriesContext(connection) as listing:
        inbox(user, limit=10)
    assert len(counting) <= budget
    assert len(listing) <= budget
