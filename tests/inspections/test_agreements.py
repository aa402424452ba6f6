import datetime

import pytest
from django.core.exceptions import ValidationError

from inspections.models import CustodyAgreement, DocumentKind, Institution, Placement
from inspections.services import registry as services
from tests.inspections.factories import AgreementFactory, InstitutionFactory, make_eligible

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to("2026-06-01 10:00:00+08:00", tick=False)


def draft_for(institution, station):
    return AgreementFactory(
        institution=institution, station=station, status=CustodyAgreement.Status.DRAFT
    )


def test_an_agreement_for_an_eligible_institution_activates(world, frozen):
    agreement = draft_for(world.institution_b, world.station)
    activated = services.agreement_activate(agreement=agreement, actor=world.users["station_staff"])
    assert activated.status == CustodyAgreement.Status.ACTIVE
    assert activated.activated_by == world.users["station_staff"]
    assert activated.history.first().history_user == world.users["station_staff"]


def test_activation_is_refused_naming_every_failing_condition(world, frozen):
    institution = InstitutionFactory(
        county=world.county_a, operation_started_on=datetime.date(2026, 1, 1)
    )
    make_eligible(
        institution, food_licence_until=datetime.date(2026, 5, 31), skip={DocumentKind.FIRE_SAFETY}
    )
    agreement = draft_for(institution, world.station)
    with pytest.raises(ValidationError) as error:
        services.agreement_activate(agreement=agreement, actor=world.users["station_staff"])
    message = " ".join(error.value.messages)
    assert "食品经营许可证" in message and "2026-05-31" in message
    assert "消防验收或备案" in message and "缺失" in message
    assert "正常运营一年以上" in message
    agreement.refresh_from_db()
    assert agreement.status == CustodyAgreement.Status.DRAFT


def test_activation_is_refused_for_a_suspended_institution(world, frozen):
    services.institution_change_status(
        institution=world.institution_b,
        status=Institution.Status.SUSPENDED,
        actor=world.users["county_b_staff"],
        reason="消防检查发现重大隐患",
    )
    agreement = draft_for(world.institution_b, world.station)
    with pytest.raises(ValidationError) as error:
        services.agreement_activate(agreement=agreement, actor=world.users["station_staff"])
    assert "已暂停" in " ".join(error.value.messages)


def test_a_placement_is_refused_once_the_licence_has_lapsed(world, time_machine):
    time_machine.move_to("2031-01-02 10:00:00+08:00", tick=False)
    agreement = world.agreement_a
    CustodyAgreement.objects.filter(pk=agreement.pk).update(ends_on=datetime.date(2031, 12, 31))
    agreement.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.placement_start(
            agreement=agreement,
            starts_on=datetime.date(2031, 1, 2),
            people=2,
            category="elderly",
            actor=world.users["station_staff"],
        )
    assert "食品经营许可证" in " ".join(error.value.messages)
    assert not Placement.objects.exists()


def test_a_placement_under_an_active_agreement_is_recorded(world, frozen):
    placement = services.placement_start(
        agreement=world.agreement_a,
        starts_on=datetime.date(2026, 6, 1),
        people=3,
        category="elderly",
        actor=world.users["station_staff"],
    )
    assert placement.history.get().history_user == world.users["station_staff"]


def test_a_placement_of_a_category_the_agreement_excludes_is_refused(world, frozen):
    with pytest.raises(ValidationError):
        services.placement_start(
            agreement=world.agreement_a,
            starts_on=datetime.date(2026, 6, 1),
            people=1,
            category="minors",
            actor=world.users["station_staff"],
        )


def test_ending_an_agreement_needs_a_reason_and_keeps_it(world, frozen):
    services.agreement_change_status(
        agreement=world.agreement_a,
        status=CustodyAgreement.Status.ENDED,
        actor=world.users["station_staff"],
        reason="协议到期不再续签",
    )
    latest = world.agreement_a.history.order_by("-history_id").first()
    assert latest.status == "ended"
    assert latest.history_change_reason == "协议到期不再续签"
