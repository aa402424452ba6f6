"""The daily reminders of institutions and inspections, with a frozen clock: each kind on its
days and not on the days between, never twice, a missed day caught up, both escalation steps,
recipients by role and scope, and the calendar events per role.

The deadline walk uses DOMAIN's example: an issue raised on Monday 28 September 2026 with 5
working days is due on Saturday 10 October (a make-up workday after the National Day week)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from audit_portal.accounts.models import User
from audit_portal.notices.kinds import Kind
from audit_portal.notices.models import Notification
from audit_portal.notices.reminders import reminders_send
from inspections import calendar_events as inspection_calendar
from inspections.models import DocumentKind, Inspection, MonthlyReport, QualificationDocument
from inspections.services.inspections import inspection_plan, visit_record
from inspections.services.issues import issue_raise
from supervisors.services import assignment_end
from tests.factories import UserFactory
from tests.inspections.factories import (
    AgreementFactory,
    DocumentFactory,
    InstitutionFactory,
    commenting_inspection,
    default_template,
    make_eligible,
    submitted_inspection,
)
from tests.notices.reminder_helpers import (
    BUILT,
    at,
    build_world_on_the_first_of_september,
    institution_account,
    people,
    run,
)
from tests.shared_state import shared

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)
MONDAY = D(2026, 9, 28)
DUE = D(2026, 10, 10)


@pytest.fixture
@shared(build_world_on_the_first_of_september)
def world(_shared_states, db, time_machine):
    time_machine.move_to(BUILT, tick=False)
    return _shared_states.copy(build_world_on_the_first_of_september)


@pytest.fixture
def outsiders(world):
    """Accounts that must never hear of institution A's duties: another institution's, another
    county's staff, and a supervisor of another group."""
    return {
        institution_account(world.institution_b),
        world.users["county_b_staff"],
        world.users["supervisor"],
    }


def raise_issue(world, time_machine, day=MONDAY, **fields):
    time_machine.move_to(at(day, 10), tick=False)
    values = {
        "area": "fire_safety",
        "description": "三楼走廊灭火器过期未更换",
        "severity": "general",
        "responsible_person": "王五",
        "rectification_days": 5,
    }
    values.update(fields)
    return issue_raise(
        institution=world.institution_a, actor=world.users["county_a_staff"], **values
    )


# Rectification deadlines and escalation --------------------------------------------------------


def test_the_deadline_reminders_come_on_their_working_days_and_not_between(
    world, time_machine, outsiders
):
    issue = raise_issue(world, time_machine)
    assert issue.deadline == DUE
    mine = f"issue:{issue.pk}:"
    a = world.institution_a
    accounts = people(institution=a)
    county = people(organisations=[world.county_a])
    city = people(organisations=[world.city])

    # Four working days left on Tuesday; three on Wednesday 30 September (the holiday week does
    # not count), when the institution is reminded.
    assert run(time_machine, D(2026, 9, 29)).about(mine) == set()
    sent = run(time_machine, D(2026, 9, 30))
    assert sent.about(mine) == {f"{mine}before:2026-10-10"}
    assert sent.to(f"{mine}before:2026-10-10") == accounts
    assert "3" in sent[f"{mine}before:2026-10-10"][0].text
    for day in (D(2026, 10, 1), D(2026, 10, 5), D(2026, 10, 9)):
        assert run(time_machine, day).about(mine) == set()

    sent = run(time_machine, DUE)
    assert sent.about(mine) == {f"{mine}today:2026-10-10"}
    assert sent.to(f"{mine}today:2026-10-10") == accounts
    [note] = sent[f"{mine}today:2026-10-10"][:1]
    assert note.kind == Kind.DEADLINE_TODAY
    assert note.url == f"/institutions/issues/{issue.pk}/"

    sent = run(time_machine, D(2026, 10, 11))
    assert sent.about(mine) == {f"{mine}overdue:2026-10-10"}
    assert sent.to(f"{mine}overdue:2026-10-10") == accounts | county

    # Four working days overdue on Thursday 15 October, five on Friday: the county bureau.
    assert run(time_machine, D(2026, 10, 15)).about(mine) == set()
    sent = run(time_machine, D(2026, 10, 16))
    assert sent.about(mine) == {f"{mine}escalate:county:2026-10-10"}
    assert sent.to(f"{mine}escalate:county:2026-10-10") == county
    assert sent[f"{mine}escalate:county:2026-10-10"][0].kind == Kind.ESCALATION

    # Ten working days overdue on Friday 23 October: the city bureau.
    assert run(time_machine, D(2026, 10, 22)).about(mine) == set()
    sent = run(time_machine, D(2026, 10, 23))
    assert sent.about(mine) == {f"{mine}escalate:city:2026-10-10"}
    assert sent.to(f"{mine}escalate:city:2026-10-10") == city
    assert world.users["city_staff"] in city

    # Nobody outside the institution and its bureaus heard of it.
    heard = {note.recipient for note in Notification.objects.filter(key__startswith=mine)}
    assert heard == accounts | county | city
    assert not heard & outsiders
    assert world.users["station_staff"] not in heard


def test_the_message_names_the_issue_not_its_description(world, time_machine):
    issue = raise_issue(world, time_machine)
    sent = run(time_machine, DUE)
    [note, *_] = sent[f"issue:{issue.pk}:today:2026-10-10"]
    assert issue.number in note.text
    assert world.institution_a.name in note.text
    assert "灭火器" not in note.text


def test_a_second_run_on_the_same_day_sends_nothing(world, time_machine):
    issue = raise_issue(world, time_machine)
    first = run(time_machine, D(2026, 10, 16))
    assert first.about(f"issue:{issue.pk}:")
    time_machine.move_to(at(D(2026, 10, 16), 20), tick=False)
    assert reminders_send(on=D(2026, 10, 16))["notifications"] == 0
    assert run(time_machine, D(2026, 10, 16)) == {}


def test_the_command_runs_the_day_given(world, time_machine):
    issue = raise_issue(world, time_machine)
    time_machine.move_to(at(D(2026, 10, 16)), tick=False)
    out = StringIO()
    call_command("send_reminders", "--on", "2026-10-16", stdout=out)
    assert "notifications made" in out.getvalue()
    assert Notification.objects.filter(key=f"issue:{issue.pk}:escalate:county:2026-10-10").exists()


def test_a_missed_day_is_caught_up_with_the_latest_step_only(world, time_machine):
    issue = raise_issue(world, time_machine)
    mine = f"issue:{issue.pk}:"
    # No run from Wednesday 30 September to Monday 12 October: only the overdue reminder.
    assert run(time_machine, D(2026, 10, 13)).about(mine) == {f"{mine}overdue:2026-10-10"}
    # No run from then until Monday 26 October: the city escalation (reached on the 23rd)
    # comes, the county's (passed on the way) does not.
    assert run(time_machine, D(2026, 10, 26)).about(mine) == {f"{mine}escalate:city:2026-10-10"}


def test_steps_older_than_the_catch_up_days_are_not_sent(world, time_machine):
    issue = raise_issue(world, time_machine)
    assert run(time_machine, D(2026, 11, 20)).about(f"issue:{issue.pk}:") == set()


def test_an_extended_deadline_starts_its_reminders_again(world, time_machine):
    issue = raise_issue(world, time_machine)
    run(time_machine, DUE)
    type(issue).objects.filter(pk=issue.pk).update(deadline=D(2026, 10, 20))
    assert run(time_machine, D(2026, 10, 20)).about(f"issue:{issue.pk}:") == {
        f"issue:{issue.pk}:today:2026-10-20"
    }


def test_issues_not_waiting_for_the_institution_are_not_reminded(world, time_machine):
    # A rectification waiting for verification, and the issues of a draft report the
    # institution has not been sent.
    submitted = world.issue_a2
    time_machine.move_to(at(MONDAY, 10), tick=False)
    _draft, (draft_issue,) = submitted_inspection(
        world.institution_a, world.users["county_a_staff"]
    )
    for day in (submitted.deadline, draft_issue.deadline, draft_issue.deadline + DAY):
        sent = run(time_machine, day)
        assert not sent.about(f"issue:{submitted.pk}:")
        assert not sent.about(f"issue:{draft_issue.pk}:")


# Qualification documents ------------------------------------------------------------------------


def test_a_document_is_reminded_of_60_30_7_days_before_and_on_the_day(
    world, time_machine, outsiders
):
    a = world.institution_a
    licence = QualificationDocument.objects.get(institution=a, kind=DocumentKind.FOOD_LICENCE)
    expiry = D(2026, 12, 31)
    QualificationDocument.objects.filter(pk=licence.pk).update(valid_until=expiry)
    mine = f"document:{licence.pk}:"
    expected = people(institution=a, organisations=[world.county_a])
    days = {step: expiry - datetime.timedelta(days=step) for step in (60, 30, 7, 0)}

    assert run(time_machine, days[60] - DAY).about(mine) == set()
    for step, day in days.items():
        sent = run(time_machine, day)
        assert sent.about(mine) == {f"{mine}expiry:{step}"}
        assert sent.to(f"{mine}expiry:{step}") == expected
        assert not sent.to(f"{mine}expiry:{step}") & outsiders
        assert run(time_machine, day + DAY).about(mine) == set()
    account = world.users["institution_user"]
    sent_60 = Notification.objects.get(key=f"{mine}expiry:60", recipient=account)
    assert sent_60.url == f"/institutions/{a.pk}/documents/new/"
    assert "60" in sent_60.text


def test_a_missed_document_step_is_caught_up_but_not_after_a_week(world, time_machine):
    a = world.institution_a
    licence = QualificationDocument.objects.get(institution=a, kind=DocumentKind.FOOD_LICENCE)
    QualificationDocument.objects.filter(pk=licence.pk).update(valid_until=D(2026, 12, 31))
    mine = f"document:{licence.pk}:"
    # 25 days left: the 30-day step, five days late.
    assert run(time_machine, D(2026, 12, 6)).about(mine) == {f"{mine}expiry:30"}
    # 45 days left on a first run: the 60-day step is 15 days old, the 30-day one to come.
    QualificationDocument.objects.filter(pk=licence.pk).update(valid_until=D(2027, 1, 20))
    assert run(time_machine, D(2026, 12, 6)).about(mine) == set()


def test_a_verified_renewal_ends_the_reminders(world, time_machine):
    a = world.institution_a
    licence = QualificationDocument.objects.get(institution=a, kind=DocumentKind.FOOD_LICENCE)
    QualificationDocument.objects.filter(pk=licence.pk).update(valid_until=D(2026, 12, 31))
    DocumentFactory(
        institution=a,
        kind=DocumentKind.FOOD_LICENCE,
        valid_from=D(2026, 12, 1),
        valid_until=D(2031, 12, 31),
        replaces=licence,
    )
    assert run(time_machine, D(2026, 12, 24)).about(f"document:{licence.pk}:") == set()


# Monthly reports and visits ---------------------------------------------------------------------


@pytest.fixture
def placed(world):
    """Institution C of county A, placed with by the station this year; one account."""
    c = make_eligible(InstitutionFactory(name="东湖区康宁养护院", county=world.county_a))
    agreement = AgreementFactory(
        station=world.station, institution=c, starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31)
    )
    return c, agreement, institution_account(c)


def test_a_monthly_report_is_reminded_of_before_its_due_day_and_when_missing(
    world, time_machine, placed, outsiders
):
    c, _agreement, account = placed
    mine = f"report:{c.pk}:2026-09:"
    assert run(time_machine, D(2026, 9, 26)).about(mine) == set()
    sent = run(time_machine, D(2026, 9, 27))
    assert sent.about(mine) == {f"{mine}due"}
    assert sent.to(f"{mine}due") == {account}
    assert sent[f"{mine}due"][0].kind == Kind.MONTHLY_REPORT_DUE
    assert sent.url(f"{mine}due", account) == "/institutions/reports/new/?month=2026-09"
    assert run(time_machine, D(2026, 9, 30)).about(mine) == set()

    sent = run(time_machine, D(2026, 10, 1))
    assert sent.about(mine) == {f"{mine}missing"}
    station = world.users["station_staff"]
    assert sent.to(f"{mine}missing") == {account} | people(
        organisations=[world.station, world.county_a]
    )
    assert station in sent.to(f"{mine}missing")
    assert sent.url(f"{mine}missing", station) == "/institutions/reports/late/"
    assert not sent.to(f"{mine}missing") & (outsiders | {world.users["institution_user"]})
    assert run(time_machine, D(2026, 10, 1)) == {}


def test_a_missing_report_is_caught_up_for_a_week(world, time_machine, placed):
    c, _agreement, _account = placed
    mine = f"report:{c.pk}:2026-09:"
    assert run(time_machine, D(2026, 10, 8)).about(mine) == {f"{mine}missing"}
    Notification.objects.all().delete()
    assert run(time_machine, D(2026, 10, 9)).about(mine) == set()


def test_a_report_sent_in_time_is_not_reminded_of(world, time_machine, placed):
    c, _agreement, account = placed
    MonthlyReport.objects.create(
        institution=c,
        month=D(2026, 9, 1),
        due_on=D(2026, 9, 30),
        created_by=account,
        status=MonthlyReport.Status.SUBMITTED,
        first_submitted_at=at(D(2026, 9, 25)),
        submitted_at=at(D(2026, 9, 25)),
    )
    for day in (D(2026, 9, 28), D(2026, 10, 1)):
        assert run(time_machine, day).about(f"report:{c.pk}:") == set()


def test_a_month_without_the_stations_visit_is_reminded_to_the_station(world, time_machine, placed):
    _c, agreement, account = placed
    visited = AgreementFactory(
        station=world.station,
        institution=make_eligible(InstitutionFactory(county=world.county_a)),
        starts_on=D(2026, 1, 1),
    )
    time_machine.move_to(at(D(2026, 9, 15)), tick=False)
    visit_record(
        agreement=visited,
        performed_on=D(2026, 9, 15),
        residents_seen=4,
        summary="探视情况良好",
        actor=world.users["station_staff"],
    )
    mine = f"visit:{agreement.pk}:2026-09:missing"
    assert not run(time_machine, D(2026, 9, 30)).about(f"visit:{agreement.pk}:")
    sent = run(time_machine, D(2026, 10, 1))
    assert sent.to(mine) == people(organisations=[world.station])
    assert sent[mine][0].kind == Kind.VISIT_MISSING
    assert sent.url(mine, world.users["station_staff"]) == (
        f"/institutions/visits/new/?agreement={agreement.pk}"
    )
    assert not sent.about(f"visit:{visited.pk}:")
    assert account not in sent.to(mine)


def test_a_missing_visit_is_not_news_after_the_catch_up_days(world, time_machine, placed):
    _c, agreement, _account = placed
    assert run(time_machine, D(2026, 10, 9)).about(f"visit:{agreement.pk}:") == set()
    assert run(time_machine, D(2026, 10, 8)).about(f"visit:{agreement.pk}:")


# Comment windows and tomorrow's inspections -----------------------------------------------------


def test_a_comment_window_closing_is_reminded_to_the_institution(world, time_machine, placed):
    c, _agreement, account = placed
    time_machine.move_to(at(MONDAY, 10), tick=False)
    inspection, _issues = commenting_inspection(c, world.users["county_a_staff"])
    commented, _issues = commenting_inspection(c, world.users["county_a_staff"])
    Inspection.objects.filter(pk=commented.pk).update(
        institution_comment="无异议", institution_commented_at=at(MONDAY, 11)
    )
    # Three working days from Monday: Tuesday, Wednesday, then Thursday 8 October.
    assert inspection.comment_deadline == D(2026, 10, 8)
    mine = f"inspection:{inspection.pk}:comments:2026-10-08"
    assert not run(time_machine, D(2026, 10, 6)).about(f"inspection:{inspection.pk}:comments")
    sent = run(time_machine, D(2026, 10, 7))
    assert sent.to(mine) == {account}
    assert sent[mine][0].kind == Kind.COMMENT_WINDOW_CLOSING
    assert not sent.about(f"inspection:{commented.pk}:")
    assert not run(time_machine, D(2026, 10, 8)).about(f"inspection:{inspection.pk}:")


@pytest.fixture
def planned(world, assigned, time_machine):
    """An inspection of institution A planned for Wednesday 14 October by county A staff, with
    the station's staff and the assigned supervisor on the team."""
    time_machine.move_to(at(D(2026, 10, 12), 10), tick=False)
    return inspection_plan(
        institution=world.institution_a,
        kind=Inspection.Kind.ROUTINE,
        planned_on=D(2026, 10, 14),
        template=default_template(),
        team=[world.users["supervisor"], world.users["station_staff"]],
        actor=world.users["county_a_staff"],
    )


def test_the_team_is_reminded_the_day_before_an_inspection(world, time_machine, planned):
    mine = f"inspection:{planned.pk}:planned:2026-10-14"
    assert not run(time_machine, D(2026, 10, 12)).about(mine)
    sent = run(time_machine, D(2026, 10, 13))
    users = world.users
    assert sent.to(mine) == {users["county_a_staff"], users["station_staff"], users["supervisor"]}
    assert sent[mine][0].kind == Kind.INSPECTION_TOMORROW
    # The institution is never told: an inspection may be unannounced.
    assert users["institution_user"] not in sent.to(mine)


def test_team_members_who_no_longer_answer_for_the_institution_are_not_told(
    world, time_machine, planned
):
    from supervisors.models import Assignment

    users = world.users
    User.objects.filter(pk=users["station_staff"].pk).update(organisation=world.county_b)
    assignment = Assignment.objects.get(group=world.group, institution=world.institution_a)
    assignment_end(assignment=assignment, actor=users["city_staff"], reason="轮换")
    # A missed run: the inspection is today.
    sent = run(time_machine, D(2026, 10, 14))
    assert sent.to(f"inspection:{planned.pk}:planned:2026-10-14") == {users["county_a_staff"]}


# Calendar events --------------------------------------------------------------------------------


CALENDAR_START, CALENDAR_END = D(2026, 9, 1), D(2026, 12, 31)


def uids(user, start=CALENDAR_START, end=CALENDAR_END) -> dict:
    return {
        event.uid: event
        for event in inspection_calendar.calendar_events(user, start=start, end=end)
    }


def test_the_calendar_shows_each_role_the_dates_in_its_scope(world, time_machine, planned):
    users = world.users
    a = world.institution_a
    licence = QualificationDocument.objects.get(institution=a, kind=DocumentKind.FOOD_LICENCE)
    QualificationDocument.objects.filter(pk=licence.pk).update(valid_until=D(2026, 11, 30))
    issue = world.issue_a
    issue_uid, planned_uid = f"issue-{issue.pk}-deadline", f"inspection-{planned.pk}-planned"
    document_uid, report_uid = f"document-{licence.pk}-expiry", f"report-{a.pk}-2026-10-due"

    county = uids(users["county_a_staff"])
    assert {issue_uid, planned_uid, document_uid} <= set(county)
    assert f"issue-{world.issue_b.pk}-deadline" not in county
    assert report_uid not in county
    assert county[issue_uid].day == issue.deadline
    assert issue.number in county[issue_uid].summary
    assert issue.description not in county[issue_uid].summary

    other_county = uids(users["county_b_staff"])
    assert f"issue-{world.issue_b.pk}-deadline" in other_county
    assert not {issue_uid, planned_uid, document_uid} & set(other_county)

    mine = uids(users["institution_user"])
    assert {issue_uid, document_uid, report_uid} <= set(mine)
    assert mine[report_uid].day == D(2026, 10, 31)
    # A month whose report was sent has no due day left; a planned inspection is not shown.
    assert f"report-{a.pk}-2026-08-due" not in uids(users["institution_user"], D(2026, 8, 1))
    assert planned_uid not in mine

    supervisor = uids(users["supervisor"])
    assert {issue_uid, planned_uid} <= set(supervisor)
    assert document_uid not in supervisor

    assert (
        uids(UserFactory(organisation=world.county_b, username="outsider"))
        .keys()
        .isdisjoint({issue_uid, planned_uid, document_uid})
    )


def test_the_calendar_is_bounded_and_in_date_order(world, time_machine):
    events = inspection_calendar.calendar_events(
        world.users["city_staff"], start=D(2026, 1, 1), end=D(2027, 12, 31)
    )
    assert len(events) <= inspection_calendar.LIMIT
    assert [event.day for event in events] == sorted(event.day for event in events)


def test_the_sources_read_a_fixed_number_of_queries_however_many_records(
    world, time_machine, placed
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from inspections import reminders

    sources = [
        reminders.document_reminders,
        reminders.deadline_reminders,
        reminders.report_reminders,
        reminders.visit_reminders,
        reminders.comment_reminders,
        reminders.inspection_reminders,
    ]

    def queries(day):
        time_machine.move_to(at(day), tick=False)
        with CaptureQueriesContext(connection) as captured:
            found = [reminder for source in sources for reminder in source(day)]
        return len(captured), len(found)

    def add_records(institution, count):
        for _n in range(count):
            raise_issue(world, time_machine)
            time_machine.move_to(at(MONDAY, 10), tick=False)
            commenting_inspection(institution, world.users["county_a_staff"])
            DocumentFactory(
                institution=institution,
                kind=DocumentKind.FOOD_LICENCE,
                valid_until=D(2026, 10, 1) + 30 * DAY,
            )

    c, _agreement, _account = placed
    add_records(c, 1)
    few, found_few = queries(D(2026, 10, 1))
    add_records(make_eligible(InstitutionFactory(county=world.county_b)), 3)
    many, found_many = queries(D(2026, 10, 1))
    assert found_many > found_few
    assert many == few


def test_working_days_counted_at_once_agree_with_the_counts_one_by_one():
    from inspections.workdays import WorkingDays, add_working_days, working_days_between

    days = WorkingDays(D(2026, 9, 20), D(2026, 10, 31))
    for start in (D(2026, 9, 28), D(2026, 9, 30), D(2026, 10, 3), D(2026, 10, 10)):
        for end in (D(2026, 9, 25), D(2026, 10, 8), D(2026, 10, 23)):
            assert days.between(start, end) == working_days_between(start, end)
        for count in (0, 1, 3, 5, 10):
            assert days.add(start, count) == add_working_days(start, count).day
    # Outside the span it asks the calendar, as the functions do.
    assert days.add(D(2026, 10, 30), 10) == add_working_days(D(2026, 10, 30), 10).day
    assert days.between(D(2026, 9, 1), D(2026, 9, 30)) == working_days_between(
        D(2026, 9, 1), D(2026, 9, 30)
    )
