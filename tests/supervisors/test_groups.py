import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from supervisors import services
from supervisors.models import GroupMembership, SupervisionGroup
from tests.supervisors.factories import GroupFactory, SupervisorFactory, TermFactory, member

pytestmark = pytest.mark.django_db

LEADER, DEPUTY, MEMBER = (
    GroupMembership.Role.LEADER,
    GroupMembership.Role.DEPUTY,
    GroupMembership.Role.MEMBER,
)


def serving():
    supervisor = SupervisorFactory()
    TermFactory(supervisor=supervisor)
    return supervisor


@pytest.fixture
def city(world):
    return world.users["city_staff"]


def build(city, roles):
    group = services.group_create(name="新小组", actor=city)
    for role in roles:
        services.group_add_member(group=group, supervisor=serving(), role=role, actor=city)
    return group


def test_a_group_of_three_with_leader_and_deputy_can_be_activated(city):
    group = build(city, [LEADER, DEPUTY, MEMBER])
    services.group_activate(group=group, actor=city)
    group.refresh_from_db()
    assert group.status == SupervisionGroup.Status.ACTIVE


def test_a_group_of_two_cannot_be_activated_and_says_why(city):
    group = build(city, [LEADER, DEPUTY])
    with pytest.raises(ValidationError) as error:
        services.group_activate(group=group, actor=city)
    assert len(error.value.messages) == 1
    assert "3" in error.value.messages[0] and "2" in error.value.messages[0]
    group.refresh_from_db()
    assert group.status == SupervisionGroup.Status.FORMING


def test_a_group_without_a_deputy_cannot_be_activated(city):
    group = build(city, [LEADER, MEMBER, MEMBER])
    problems = group.composition_problems(__import__("django").utils.timezone.localdate())
    assert len(problems) == 1
    with pytest.raises(ValidationError):
        services.group_activate(group=group, actor=city)


def test_a_sixth_member_is_refused(city):
    group = build(city, [LEADER, DEPUTY, MEMBER, MEMBER, MEMBER])
    with pytest.raises(ValidationError):
        services.group_add_member(group=group, supervisor=serving(), role=MEMBER, actor=city)
    assert group.current_memberships().count() == 5


def test_a_second_leader_is_refused_by_the_service_and_the_database(city):
    group = build(city, [LEADER])
    with pytest.raises(ValidationError):
        services.group_add_member(group=group, supervisor=serving(), role=LEADER, actor=city)
    with pytest.raises(IntegrityError), transaction.atomic():
        member(group, serving(), LEADER)


def test_a_supervisor_without_a_running_term_cannot_join(city):
    group = GroupFactory()
    with pytest.raises(ValidationError):
        services.group_add_member(
            group=group, supervisor=SupervisorFactory(), role=MEMBER, actor=city
        )


def test_losing_a_member_below_the_minimum_deactivates_the_group(city):
    group = build(city, [LEADER, DEPUTY, MEMBER])
    services.group_activate(group=group, actor=city)
    leaving = group.current_memberships().get(role=MEMBER)
    services.group_remove_member(membership=leaving, actor=city, reason="辞去监督员")
    group.refresh_from_db()
    assert group.status == SupervisionGroup.Status.FORMING
    assert leaving.history.first().history_change_reason == "辞去监督员"
