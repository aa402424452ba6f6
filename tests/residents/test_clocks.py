"""Each clock of a resident record, with a frozen clock: the family-search notice within 24 hours
of admission (seed 004), the police answer within 1 month of the request (seed 001), the day a
stay becomes long in both counting modes (seed 001 "超过3个月" excludes the day the months
complete, seed 003 "入站满三个月" includes it), and the follow-up visits owed after a return
home (every minor; others only where the area says so)."""

import datetime
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from inspections.models import ResidentCategory
from residents import selectors, services
from residents.models import IdentityStep, Resident, long_stay_day
from tests.residents.factories import admit

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
ADMITTED = datetime.datetime(2026, 1, 31, 22, 30, tzinfo=SHANGHAI)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def resident(world, time_machine):
    time_machine.move_to(ADMITTED + MINUTE, tick=False)
    return admit(world.agreement_a, admitted_at=ADMITTED)


def overdue_ids(world, now) -> set[int]:
    station = world.users["station_staff"]
    return set(selectors.overdue_identity_steps(station, now).values_list("pk", flat=True))


def test_the_family_search_notice_is_due_24_hours_after_admission(world, resident):
    notice = resident.identity_steps.get(kind=IdentityStep.Kind.NOTICE)
    assert notice.due_at == ADMITTED + datetime.timedelta(hours=24)
    assert notice.done_at is None


def test_the_notice_is_overdue_only_after_its_24th_hour(world, resident):
    notice = resident.identity_steps.get(kind=IdentityStep.Kind.NOTICE)
    due = ADMITTED + datetime.timedelta(hours=24)
    assert not notice.is_overdue(due)
    assert notice.pk not in overdue_ids(world, due)
    assert notice.is_overdue(due + MINUTE)
    assert notice.pk in overdue_ids(world, due + MINUTE)


def test_a_published_notice_is_no_longer_overdue(world, resident, time_machine):
    notice = resident.identity_steps.get(kind=IdentityStep.Kind.NOTICE)
    time_machine.move_to(ADMITTED + datetime.timedelta(hours=30), tick=False)
    services.identity_step_complete(
        step=notice,
        done_at=ADMITTED + datetime.timedelta(hours=25),
        outcome=IdentityStep.Outcome.DONE,
        actor=world.users["station_staff"],
    )
    assert notice.pk not in overdue_ids(world, ADMITTED + datetime.timedelta(hours=30))


def test_the_police_answer_is_due_one_month_after_the_request(world, resident, time_machine):
    # Requested on 31 January: a month later is the last day of February, same time.
    requested = ADMITTED + MINUTE
    time_machine.move_to(requested, tick=False)
    step = services.identity_step_record(
        resident=resident,
        kind=IdentityStep.Kind.POLICE,
        started_at=requested,
        reference="协查〔2026〕1号",
        actor=world.users["station_staff"],
    )
    assert step.due_at == datetime.datetime(2026, 2, 28, 22, 31, tzinfo=SHANGHAI)
    assert not step.is_overdue(step.due_at)
    assert step.pk in overdue_ids(world, step.due_at + MINUTE)


def test_dna_and_fingerprints_carry_no_due_moment(world, resident):
    step = services.identity_step_record(
        resident=resident,
        kind=IdentityStep.Kind.DNA,
        started_at=ADMITTED + MINUTE,
        actor=world.users["station_staff"],
    )
    assert step.due_at is None


@pytest.mark.parametrize(
    ("counting", "first_long_day"),
    [("over", datetime.date(2026, 5, 1)), ("full", datetime.date(2026, 4, 30))],
)
def test_a_stay_becomes_long_by_the_areas_counting(
    world, settings, time_machine, counting, first_long_day
):
    # Admitted 30 January: three months complete on 30 April.
    settings.AUDIT_RULES_OVERRIDES = json.dumps({"long_stay_counting": counting})
    admitted = datetime.datetime(2026, 1, 30, 9, 0, tzinfo=SHANGHAI)
    time_machine.move_to(admitted, tick=False)
    resident = admit(world.agreement_a, admitted_at=admitted)
    assert resident.long_stay_on == first_long_day == long_stay_day(admitted.date())
    before = first_long_day - datetime.timedelta(days=1)
    assert not resident.is_long_stay(before)
    assert resident.is_long_stay(first_long_day)
    station = world.users["station_staff"]
    assert resident not in selectors.long_stays_unsettled(station, before)
    assert resident in selectors.long_stays_unsettled(station, first_long_day)


def test_a_filed_settlement_takes_a_long_stay_off_the_unsettled_list(world, time_machine):
    admitted = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=SHANGHAI)
    time_machine.move_to(datetime.datetime(2026, 5, 1, 9, 0, tzinfo=SHANGHAI), tick=False)
    resident = admit(world.agreement_a, admitted_at=admitted)
    station = world.users["station_staff"]
    assert resident in selectors.long_stays_unsettled(station, datetime.date(2026, 5, 1))
    services.settlement_file(
        resident=resident, kind="application", filed_on=datetime.date(2026, 5, 1), actor=station
    )
    assert resident not in selectors.long_stays_unsettled(station, datetime.date(2026, 5, 1))


def test_changing_the_counting_refreshes_the_stays_still_running(world, settings, time_machine):
    admitted = datetime.datetime(2026, 1, 30, 9, 0, tzinfo=SHANGHAI)
    time_machine.move_to(admitted, tick=False)
    resident = admit(world.agreement_a, admitted_at=admitted)
    settings.AUDIT_RULES_OVERRIDES = json.dumps({"long_stay_counting": "full"})
    out = io.StringIO()
    call_command("refresh_long_stays", stdout=out)
    assert "changed" in out.getvalue()
    resident.refresh_from_db()
    assert resident.long_stay_on == datetime.date(2026, 4, 30)


def _return(world, time_machine, **fields):
    time_machine.move_to(ADMITTED + datetime.timedelta(days=10), tick=False)
    resident = admit(world.agreement_a, admitted_at=ADMITTED, **fields)
    return services.resident_return_home(
        resident=resident,
        returned_at=ADMITTED + datetime.timedelta(days=5),
        home_area="安徽省阜阳市",
        home_station="阜阳市救助管理站",
        actor=world.users["station_staff"],
    )


def test_a_minor_returned_home_is_owed_follow_up_visits(world, time_machine):
    entry = _return(world, time_machine, category=ResidentCategory.DISABLED, birth_year=2026 - 12)
    assert entry.follow_up_required
    assert [v.due_on for v in entry.follow_ups.all()] == [
        entry.returned_on + datetime.timedelta(days=30)
    ]
    entry.resident.refresh_from_db()
    assert entry.resident.discharge_kind == Resident.Discharge.RETURNED_HOME


def test_an_adult_returned_home_is_owed_none_unless_the_area_says_so(world, time_machine, settings):
    adult = _return(world, time_machine, name="成年甲", birth_year=1950)
    assert not adult.follow_up_required and not adult.follow_ups.exists()
    settings.AUDIT_RULES_OVERRIDES = json.dumps(
        {"follow_up_all_returned": True, "follow_up_days_after_return": [7, 90]}
    )
    entry = _return(world, time_machine, name="成年乙", birth_year=1950)
    assert entry.follow_up_required
    assert [(v.due_on - entry.returned_on).days for v in entry.follow_ups.all()] == [7, 90]


def test_a_visit_not_done_by_its_day_is_missed(world, time_machine):
    entry = _return(world, time_machine, category=ResidentCategory.DISABLED, birth_year=2015)
    visit = entry.follow_ups.get()
    station = world.users["station_staff"]
    assert visit not in selectors.follow_ups_missed(station, visit.due_on)
    assert visit in selectors.follow_ups_missed(station, visit.due_on + datetime.timedelta(1))
    time_machine.move_to(
        datetime.datetime.combine(visit.due_on, datetime.time(10), tzinfo=SHANGHAI), tick=False
    )
    services.follow_up_record(
        visit=visit, done_on=visit.due_on, visited_by="阜阳站 刘某", actor=station
    )
    assert visit not in selectors.follow_ups_missed(station, visit.due_on + datetime.timedelta(1))
