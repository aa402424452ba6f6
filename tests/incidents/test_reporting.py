import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit_portal.core.history import MissingChangeReason
from incidents import services
from incidents.forms import InitialReportForm
from incidents.grading import Grade
from incidents.models import Incident, Kind, PoliceRecord, Report, Stage
from incidents.selectors import police_outstanding_q
from tests.incidents.factories import (
    FOLLOWUP,
    INITIAL,
    figures,
    file_incident,
    final,
    followup,
    police,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def test_the_receipt_time_is_the_server_clock(world, frozen):
    incident = file_incident(world.institution_a, minutes_ago=10)
    assert incident.reported_at == NOW
    assert incident.reports.get().submitted_at == NOW
    assert incident.reported_by == world.users["institution_user"]


def test_an_initial_report_at_exactly_60_minutes_is_on_time(world, frozen):
    incident = file_incident(world.institution_a, minutes_ago=60)
    assert incident.late_minutes == 0
    assert not incident.is_late


def test_an_initial_report_at_61_minutes_is_one_minute_late(world, frozen):
    incident = file_incident(world.institution_a, minutes_ago=61)
    assert incident.late_minutes == 1
    assert incident.is_late


def test_a_second_past_the_hour_counts_as_a_started_minute(world, time_machine):
    discovered = NOW - datetime.timedelta(minutes=60)
    time_machine.move_to(NOW + datetime.timedelta(seconds=1), tick=False)
    incident = services.incident_report(
        actor=world.users["institution_user"],
        institution=world.institution_a,
        kind=Kind.INJURY,
        occurred_at=discovered,
        discovered_at=discovered,
        fields=dict(INITIAL),
        figures=figures(),
    )
    assert incident.late_minutes == 1


def test_a_discovery_in_the_future_is_refused(world, frozen):
    with pytest.raises(ValidationError):
        file_incident(world.institution_a, minutes_ago=-5)
    assert not Incident.objects.filter(reported_at=NOW).exists()


def test_an_institution_user_reports_only_for_its_own_institution(world, frozen):
    with pytest.raises(PermissionDenied):
        file_incident(world.institution_b, actor=world.users["institution_user"])


def test_county_staff_cannot_file_a_report(world, frozen):
    with pytest.raises(PermissionDenied):
        file_incident(world.institution_a, actor=world.users["county_a_staff"])


def test_an_initial_report_must_carry_every_field_of_its_stage(world, frozen):
    fields = dict(INITIAL, source="")
    with pytest.raises(ValidationError) as error:
        file_incident(world.institution_a, fields=fields)
    assert "source" in error.value.message_dict
    assert not Incident.objects.filter(reported_at=NOW).exists()


# Stage order -------------------------------------------------------------------------------------


def test_follow_ups_come_in_any_number_before_the_final(world, frozen):
    incident = file_incident(world.institution_a)
    followup(incident)
    followup(incident)
    final(incident)
    stages = list(incident.reports.values_list("stage", flat=True))
    assert stages == [Stage.INITIAL, Stage.FOLLOWUP, Stage.FOLLOWUP, Stage.FINAL]
    incident.refresh_from_db()
    assert incident.status == Incident.Status.FINAL


def test_a_follow_up_before_the_initial_report_is_refused(world, frozen):
    incident = Incident.objects.create(
        institution=world.institution_a,
        kind=Kind.INJURY,
        occurred_at=NOW,
        discovered_at=NOW,
        reported_at=NOW,
        reported_by=world.users["institution_user"],
    )
    with pytest.raises(ValidationError, match="初报之后"):
        followup(incident)
    with pytest.raises(ValidationError, match="初报之后"):
        final(incident)


def test_nothing_but_amendments_follows_the_final_report(world, frozen):
    incident = file_incident(world.institution_a)
    final(incident)
    with pytest.raises(ValidationError):
        followup(incident)
    with pytest.raises(ValidationError):
        final(incident)
    assert incident.reports.count() == 2


def test_the_database_refuses_a_second_original_final_report(world, frozen):
    incident = file_incident(world.institution_a)
    report = final(incident)
    report.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.bulk_create([report])


def test_staff_close_only_after_the_final_report(world, frozen):
    incident = file_incident(world.institution_a)
    staff = world.users["county_a_staff"]
    with pytest.raises(ValidationError):
        services.incident_close(incident=incident, actor=staff, text="处置完毕")
    final(incident)
    services.incident_close(incident=incident, actor=staff, text="处置完毕")
    incident.refresh_from_db()
    assert incident.status == Incident.Status.CLOSED
    assert incident.closed_at == NOW
    assert incident.closed_by == staff


def test_a_closed_incident_takes_no_amendment(world, frozen):
    incident = file_incident(world.institution_a)
    report = final(incident)
    services.incident_close(incident=incident, actor=world.users["county_a_staff"], text="结案")
    with pytest.raises(ValidationError):
        services.report_amend(
            report=report,
            actor=world.users["institution_user"],
            reason="更正",
            fields={**FOLLOWUP},
            figures=figures(),
        )


def test_a_station_may_not_close_an_institution_incident(world, frozen):
    incident = file_incident(world.institution_a)
    final(incident)
    with pytest.raises(PermissionDenied):
        services.incident_close(incident=incident, actor=world.users["station_staff"], text="结案")


def test_only_the_reporting_institution_files_follow_ups(world, frozen):
    incident = file_incident(world.institution_a)
    for persona in ("county_a_staff", "station_staff", "city_staff", "admin"):
        with pytest.raises(PermissionDenied):
            followup(incident, actor=world.users[persona])


# Amendments --------------------------------------------------------------------------------------


def test_an_amendment_supersedes_the_report_and_keeps_the_original(world, frozen):
    incident = file_incident(world.institution_a)
    original = incident.reports.get()
    amended = services.report_amend(
        report=original,
        actor=world.users["institution_user"],
        reason="地点填写有误",
        fields={**INITIAL, "place": "三楼走廊"},
        figures=figures(serious_injuries=12),
    )
    original.refresh_from_db()
    assert original.place == "二楼活动室"
    assert original.is_superseded
    assert amended.amends == original
    assert amended.place == "三楼走廊"
    assert amended.amendment_reason == "地点填写有误"
    incident.refresh_from_db()
    assert incident.serious_injuries == 12
    assert incident.grade == Grade.LARGER
    assert [r.pk for r in services.reports_in_force(incident)] == [amended.pk]


def test_an_amendment_needs_a_reason(world, frozen):
    incident = file_incident(world.institution_a)
    with pytest.raises(ValidationError):
        services.report_amend(
            report=incident.reports.get(),
            actor=world.users["institution_user"],
            reason="  ",
            fields=dict(INITIAL),
            figures=figures(),
        )
    assert incident.reports.count() == 1


def test_an_amended_version_cannot_be_amended_twice(world, frozen):
    incident = file_incident(world.institution_a)
    original = incident.reports.get()
    kwargs = {"actor": world.users["institution_user"], "fields": dict(INITIAL)}
    services.report_amend(report=original, reason="一", figures=figures(), **kwargs)
    with pytest.raises(ValidationError):
        services.report_amend(report=original, reason="二", figures=figures(), **kwargs)


def test_amending_the_initial_does_not_override_a_later_follow_ups_figures(world, frozen):
    incident = file_incident(world.institution_a)
    followup(incident, figures=figures(deaths=3))
    services.report_amend(
        report=incident.reports.get(stage=Stage.INITIAL),
        actor=world.users["institution_user"],
        reason="更正",
        fields=dict(INITIAL),
        figures=figures(deaths=1),
    )
    incident.refresh_from_db()
    assert incident.deaths == 3


def test_a_report_cannot_be_edited_without_a_reason(world, frozen):
    report = file_incident(world.institution_a).reports.get()
    report.place = "篡改"
    with pytest.raises(MissingChangeReason):
        report.save()


# Grade -------------------------------------------------------------------------------------------


def test_the_grade_is_recomputed_when_a_follow_up_changes_the_figures(world, frozen):
    incident = file_incident(world.institution_a)
    assert incident.grade == Grade.GENERAL
    followup(incident, figures=figures(deaths=10))
    incident.refresh_from_db()
    assert incident.grade == Grade.MAJOR
    services.police_record_add(incident=incident, actor=world.users["institution_user"], **police())
    final(incident, figures=figures(deaths=2, direct_loss=10_000_000))
    incident.refresh_from_db()
    assert (incident.deaths, incident.grade) == (2, Grade.LARGER)


# Police ------------------------------------------------------------------------------------------


def test_a_death_is_received_without_the_police_notification_which_is_then_owed(world, frozen):
    incident = file_incident(world.institution_a, kind=Kind.DEATH, police=None)
    assert incident.reports.get().stage == Stage.INITIAL
    assert incident.police_outstanding(NOW)
    with pytest.raises(ValidationError, match="110"):
        final(incident)


def test_a_death_with_the_police_notification_is_accepted(world, frozen):
    incident = file_incident(world.institution_a, kind=Kind.DEATH, figures=figures(deaths=1))
    record = incident.police_records.get()
    assert record.kind == PoliceRecord.Kind.DEATH
    assert record.recorded_at == NOW
    assert not incident.police_outstanding(NOW)


def test_a_fire_with_a_death_is_received_and_owes_the_police_notification(world, frozen):
    owing = file_incident(
        world.institution_a, kind=Kind.FIRE, figures=figures(deaths=1), police=None
    )
    assert owing.police_outstanding(NOW)
    incident = file_incident(world.institution_a, kind=Kind.FIRE, figures=figures(deaths=1))
    assert incident.police_records.get().kind == PoliceRecord.Kind.DEATH


def test_an_injury_that_proves_fatal_is_flagged_until_the_police_are_notified(world, frozen):
    incident = file_incident(world.institution_a, kind=Kind.INJURY)
    assert not incident.police_outstanding(NOW)
    followup(incident, figures=figures(deaths=1))  # news is never held back
    incident.refresh_from_db()
    assert incident.police_outstanding(NOW)
    assert Incident.objects.filter(police_outstanding_q(NOW), pk=incident.pk).exists()
    with pytest.raises(ValidationError, match="110"):
        final(incident)
    services.police_record_add(incident=incident, actor=world.users["institution_user"], **police())
    assert incident.police_records.get().kind == PoliceRecord.Kind.DEATH
    assert not incident.police_outstanding(NOW)
    final(incident)


def test_a_resident_missing_for_over_an_hour_is_received_and_owes_the_police_report(world, frozen):
    incident = file_incident(world.institution_a, kind=Kind.MISSING, minutes_ago=61, police=None)
    assert incident.police_outstanding(NOW)
    assert Incident.objects.filter(police_outstanding_q(NOW), pk=incident.pk).exists()


def test_the_police_delay_for_a_missing_resident_and_its_texts_follow_the_rules(
    world, frozen, settings
):
    incident = file_incident(world.institution_a, kind=Kind.MISSING, minutes_ago=61, police=None)
    with pytest.raises(ValidationError) as refused:
        final(incident)
    assert refused.value.messages == [
        "走失人员1小时内未找到：请先登记报警信息（时间、派出所、案件编号）。"
    ]
    assert "走失超过1小时须报警" in InitialReportForm().fields["police_reported_at"].help_text
    settings.AUDIT_RULES_OVERRIDES = json.dumps({"missing_person_police_minutes": 120})
    assert not incident.police_outstanding(NOW)
    later = file_incident(world.institution_a, kind=Kind.MISSING, minutes_ago=121, police=None)
    with pytest.raises(ValidationError) as refused:
        final(later)
    assert refused.value.messages == [
        "走失人员2小时内未找到：请先登记报警信息（时间、派出所、案件编号）。"
    ]
    assert "走失超过2小时须报警" in InitialReportForm().fields["police_reported_at"].help_text
    settings.AUDIT_RULES_OVERRIDES = json.dumps({"missing_person_police_minutes": 90})
    assert "走失超过90分钟须报警" in InitialReportForm().fields["police_reported_at"].help_text


def test_a_resident_missing_for_exactly_an_hour_needs_no_police_report_yet(world, frozen):
    incident = file_incident(world.institution_a, kind=Kind.MISSING, minutes_ago=60, police=None)
    assert not incident.police_outstanding(NOW)
    assert incident.police_outstanding(NOW + datetime.timedelta(minutes=1))


def test_a_resident_found_within_the_hour_needs_no_police_report(world, frozen):
    incident = file_incident(
        world.institution_a,
        kind=Kind.MISSING,
        minutes_ago=90,
        police=None,
        resident_found_at=NOW - datetime.timedelta(minutes=30),
    )
    assert not incident.police_outstanding(NOW)


def test_the_final_report_waits_for_an_overdue_police_report(world, time_machine):
    time_machine.move_to(NOW, tick=False)
    incident = file_incident(world.institution_a, kind=Kind.MISSING, minutes_ago=20, police=None)
    time_machine.move_to(NOW + datetime.timedelta(hours=2), tick=False)
    followup(incident)  # news is never held back
    with pytest.raises(ValidationError, match="报警"):
        final(incident)
    services.police_record_add(
        incident=incident,
        actor=world.users["institution_user"],
        reported_at=timezone.now() - datetime.timedelta(minutes=50),
        police_station="东湖派出所",
        case_number="A-1",
    )
    final(incident)


def test_suspected_abuse_is_flagged_until_referred_to_the_police(world, frozen):
    incident = file_incident(world.institution_a, kind=Kind.ABUSE)
    assert incident.police_outstanding(NOW)
    with pytest.raises(ValidationError, match="移送公安"):
        final(incident)
    services.police_record_add(incident=incident, actor=world.users["institution_user"], **police())
    assert incident.police_records.get().kind == PoliceRecord.Kind.ABUSE_REFERRAL
    assert not incident.police_outstanding(NOW)


def test_a_police_record_needs_station_and_case_number(world, frozen):
    with pytest.raises(ValidationError):
        file_incident(world.institution_a, kind=Kind.DEATH, police=police(case_number=""))
