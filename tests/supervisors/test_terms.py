import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from supervisors import services
from supervisors.models import Appointment, Term, VettingFinding
from tests.supervisors.factories import SupervisorFactory, TermFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
ALL_MET = dict.fromkeys(VettingFinding.Condition, (True, ""))


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to("2026-06-01 10:00:00+08:00", tick=False)


def term(supervisor, starts_on, consecutive=1, **kwargs):
    return TermFactory(
        supervisor=supervisor,
        starts_on=starts_on,
        last_day=Term.last_day_for(starts_on),
        consecutive_number=consecutive,
        **kwargs,
    )


def appoint(actor, supervisor, starts_on, override=""):
    appointment = services.appointment_nominate(
        supervisor=supervisor,
        invited_on=TODAY,
        actor=actor,
        term_limit_override_reason=override,
    )
    services.appointment_vet(appointment=appointment, findings=ALL_MET, actor=actor)
    services.appointment_decide(
        appointment=appointment, meeting_date=TODAY, minutes_reference="纪要", actor=actor
    )
    return services.appointment_file(
        appointment=appointment,
        starts_on=starts_on,
        employer_notified_on=TODAY,
        filing_number="备",
        actor=actor,
    )


def test_a_term_lasts_five_years_its_last_day_included():
    t = term(SupervisorFactory(), datetime.date(2021, 6, 2))
    assert t.last_day == datetime.date(2026, 6, 2)
    assert t.is_active_on(datetime.date(2026, 6, 2))
    assert not t.is_active_on(datetime.date(2026, 6, 3))


def test_a_term_appointed_on_29_february_ends_on_28_february():
    assert Term.last_day_for(datetime.date(2024, 2, 29)) == datetime.date(2029, 2, 28)


def test_a_second_consecutive_term_is_allowed(world):
    supervisor = SupervisorFactory()
    first = term(supervisor, datetime.date(2021, 6, 1))  # last day 2026-06-01
    second = appoint(world.users["city_staff"], supervisor, first.last_day + datetime.timedelta(1))
    assert (second.number, second.consecutive_number) == (2, 2)


def test_a_third_consecutive_term_is_refused_with_a_clear_message(world):
    supervisor = SupervisorFactory()
    term(supervisor, datetime.date(2016, 6, 2))  # 2016-06-02 .. 2021-06-02
    term(supervisor, datetime.date(2021, 6, 3), consecutive=2)
    with pytest.raises(ValidationError) as error:
        services.appointment_nominate(
            supervisor=supervisor, invited_on=TODAY, actor=world.users["city_staff"]
        )
    assert error.value.code == "term_limit"
    assert not Appointment.objects.filter(supervisor=supervisor).exists()


def test_a_break_between_terms_resets_the_count(world):
    supervisor = SupervisorFactory()
    term(supervisor, datetime.date(2010, 1, 1))
    term(supervisor, datetime.date(2015, 1, 2), consecutive=2)  # last day 2020-01-02
    new = appoint(world.users["city_staff"], supervisor, TODAY)
    assert (new.number, new.consecutive_number) == (3, 1)


def test_an_administrator_may_override_the_limit_with_a_reason(world):
    supervisor = SupervisorFactory()
    term(supervisor, datetime.date(2016, 6, 2))
    second = term(supervisor, datetime.date(2021, 6, 3), consecutive=2)
    third = appoint(
        world.users["admin"],
        supervisor,
        second.last_day + datetime.timedelta(days=1),
        override="专业不可替代，联席会议特批",
    )
    assert third.consecutive_number == 3
    assert third.appointment.term_limit_override_by == world.users["admin"]
    assert third.appointment.term_limit_override_reason == "专业不可替代，联席会议特批"


def test_city_staff_cannot_override_the_limit(world):
    supervisor = SupervisorFactory()
    with pytest.raises(PermissionDenied):
        services.appointment_nominate(
            supervisor=supervisor,
            invited_on=TODAY,
            actor=world.users["city_staff"],
            term_limit_override_reason="想续聘",
        )


def test_an_early_end_needs_a_reason_and_ends_the_term_that_day(world):
    t = term(SupervisorFactory(), datetime.date(2024, 1, 1))
    city = world.users["city_staff"]
    with pytest.raises(ValidationError):
        services.term_end_early(term=t, kind="resignation", on=TODAY, reason="", actor=city)
    services.term_end_early(term=t, kind="resignation", on=TODAY, reason="工作调动", actor=city)
    t.refresh_from_db()
    assert t.terminated_on == TODAY
    assert not t.is_active_on(TODAY)
    assert t.is_active_on(TODAY - datetime.timedelta(days=1))
    assert t.history.first().history_change_reason == "工作调动"
