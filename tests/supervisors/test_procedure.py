import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from supervisors import services
from supervisors.models import Appointment, Term, VettingFinding
from tests.supervisors.factories import SupervisorFactory, make_id_number

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
ALL_MET = dict.fromkeys(VettingFinding.Condition, (True, "经考察符合"))


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to("2026-06-01 10:00:00+08:00", tick=False)


@pytest.fixture
def city(world):
    return world.users["city_staff"]


def born(day):
    return SupervisorFactory(birth_date=day, id_number=make_id_number(day))


def nominate(city, supervisor=None, invited_on=TODAY):
    return services.appointment_nominate(
        supervisor=supervisor or SupervisorFactory(), invited_on=invited_on, actor=city
    )


def test_a_candidate_aged_60_on_the_invitation_date_may_be_nominated(city):
    appointment = nominate(city, born(datetime.date(1966, 6, 1)))
    assert appointment.stage == Appointment.Stage.NOMINATED


def test_a_candidate_aged_61_on_the_invitation_date_is_refused(city):
    with pytest.raises(ValidationError, match="60"):
        nominate(city, born(datetime.date(1965, 6, 1)))
    assert not Appointment.objects.filter(supervisor__birth_date="1965-06-01").exists()


def test_the_day_before_the_61st_birthday_still_counts_as_60(city):
    assert nominate(city, born(datetime.date(1965, 6, 2))).pk


def test_age_is_measured_on_the_invitation_date_not_today(city):
    # 61 today, but 60 on the (earlier) invitation date.
    supervisor = born(datetime.date(1965, 5, 1))
    assert nominate(city, supervisor, invited_on=datetime.date(2026, 4, 30)).pk


def test_the_full_procedure_records_who_and_when_and_opens_a_term(city):
    appointment = nominate(city)
    services.appointment_vet(appointment=appointment, findings=ALL_MET, actor=city)
    services.appointment_decide(
        appointment=appointment,
        meeting_date=TODAY,
        minutes_reference="联席会议纪要〔2026〕3号",
        actor=city,
    )
    term = services.appointment_file(
        appointment=appointment,
        starts_on=TODAY,
        employer_notified_on=TODAY,
        filing_number="备2026-01",
        actor=city,
    )
    appointment.refresh_from_db()
    assert appointment.stage == Appointment.Stage.FILED
    assert appointment.vetted_by == appointment.decided_by == appointment.filed_by == city
    assert appointment.findings.count() == len(VettingFinding.Condition)
    assert (term.number, term.consecutive_number) == (1, 1)
    # 届满 includes the corresponding day of the fifth year (Civil Code arts. 201–202).
    assert term.last_day == datetime.date(2031, 6, 1)
    assert appointment.history.first().history_user == city


@pytest.mark.parametrize("step", ["decide", "file"])
def test_steps_cannot_be_skipped(city, step):
    appointment = nominate(city)
    with pytest.raises(ValidationError) as error:
        if step == "decide":
            services.appointment_decide(
                appointment=appointment, meeting_date=TODAY, minutes_reference="x", actor=city
            )
        else:
            services.appointment_file(
                appointment=appointment,
                starts_on=TODAY,
                employer_notified_on=TODAY,
                filing_number="x",
                actor=city,
            )
    assert error.value.code == "stage_order"
    appointment.refresh_from_db()
    assert appointment.stage == Appointment.Stage.NOMINATED
    assert not Term.objects.filter(supervisor=appointment.supervisor).exists()


def test_a_step_cannot_be_repeated(city):
    appointment = nominate(city)
    services.appointment_vet(appointment=appointment, findings=ALL_MET, actor=city)
    with pytest.raises(ValidationError):
        services.appointment_vet(appointment=appointment, findings=ALL_MET, actor=city)


def test_vetting_needs_a_finding_on_every_condition(city):
    appointment = nominate(city)
    partial = dict(list(ALL_MET.items())[:3])
    with pytest.raises(ValidationError) as error:
        services.appointment_vet(appointment=appointment, findings=partial, actor=city)
    assert error.value.code == "findings_incomplete"


def test_a_condition_not_met_stops_the_vetting(city):
    appointment = nominate(city)
    findings = {**ALL_MET, VettingFinding.Condition.HEALTHY: (False, "长期病休")}
    with pytest.raises(ValidationError) as error:
        services.appointment_vet(appointment=appointment, findings=findings, actor=city)
    assert error.value.code == "condition_not_met"
    assert not appointment.findings.exists()


@pytest.mark.parametrize("steps", [0, 1, 2])
def test_a_candidate_can_be_turned_down_at_any_step_with_a_reason(city, steps):
    appointment = nominate(city)
    if steps >= 1:
        services.appointment_vet(appointment=appointment, findings=ALL_MET, actor=city)
    if steps >= 2:
        services.appointment_decide(
            appointment=appointment, meeting_date=TODAY, minutes_reference="纪要", actor=city
        )
    stage = appointment.stage
    with pytest.raises(ValidationError):
        services.appointment_turn_down(appointment=appointment, reason=" ", actor=city)
    services.appointment_turn_down(appointment=appointment, reason="本人婉拒", actor=city)
    appointment.refresh_from_db()
    assert appointment.stage == Appointment.Stage.TURNED_DOWN
    assert appointment.turned_down_at_stage == stage
    assert appointment.turn_down_reason == "本人婉拒"
    with pytest.raises(ValidationError):
        services.appointment_vet(appointment=appointment, findings=ALL_MET, actor=city)


def test_a_filed_appointment_cannot_be_turned_down(city):
    appointment = nominate(city)
    services.appointment_vet(appointment=appointment, findings=ALL_MET, actor=city)
    services.appointment_decide(
        appointment=appointment, meeting_date=TODAY, minutes_reference="纪要", actor=city
    )
    services.appointment_file(
        appointment=appointment,
        starts_on=TODAY,
        employer_notified_on=TODAY,
        filing_number="备1",
        actor=city,
    )
    with pytest.raises(ValidationError):
        services.appointment_turn_down(appointment=appointment, reason="迟到", actor=city)


def test_a_decision_cannot_be_recorded_for_a_future_meeting(city):
    appointment = nominate(city)
    services.appointment_vet(appointment=appointment, findings=ALL_MET, actor=city)
    with pytest.raises(ValidationError):
        services.appointment_decide(
            appointment=appointment,
            meeting_date=TODAY + datetime.timedelta(days=1),
            minutes_reference="纪要",
            actor=city,
        )


@pytest.mark.parametrize("persona", ["county_a_staff", "station_staff", "supervisor"])
def test_only_the_city_bureau_runs_the_procedure(world, persona):
    with pytest.raises(PermissionDenied):
        nominate(world.users[persona])


def test_one_procedure_at_a_time_per_candidate(city):
    supervisor = SupervisorFactory()
    nominate(city, supervisor)
    with pytest.raises(ValidationError) as error:
        nominate(city, supervisor)
    assert error.value.code == "in_progress"
