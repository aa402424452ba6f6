"""The team picker says which members of the assigned supervision group it cannot offer, and
why, instead of leaving them out silently."""

import pytest
from django.urls import reverse

from audit_portal.core.history import save_audited
from tests.factories import UserFactory
from tests.supervisors.factories import TermFactory

pytestmark = pytest.mark.django_db


def _plan_page(world, client_for, persona="county_a_staff"):
    response = client_for(persona).get(
        reverse("inspections:inspection_create", args=[world.institution_a.pk])
    )
    assert response.status_code == 200
    return response


def test_group_members_without_an_account_are_named_with_the_reason(assigned, client_for):
    world = assigned
    response = _plan_page(world, client_for, "supervisor")
    names = {member["name"] for member in response.context["not_on_team"]}
    others = {
        m.supervisor.full_name for m in world.group.memberships.exclude(supervisor__user=None)
    }
    accountless = {
        m.supervisor.full_name for m in world.group.memberships.filter(supervisor__user=None)
    }
    assert accountless and accountless <= names
    assert not others & names  # the persona itself can be on the team
    assert next(iter(accountless)) in response.content.decode()


def test_a_member_with_an_account_and_a_working_term_is_offered_not_listed(assigned, client_for):
    world = assigned
    membership = world.group.memberships.filter(supervisor__user=None).first()
    supervisor = membership.supervisor
    supervisor.user = UserFactory(role="supervisor", organisation=None, full_name="组员乙")
    save_audited(supervisor, actor=None, reason="开通账号")
    TermFactory(supervisor=supervisor)
    response = _plan_page(world, client_for)
    assert supervisor.full_name not in {m["name"] for m in response.context["not_on_team"]}
    assert supervisor.user in response.context["form"].fields["team"].queryset


def test_no_note_without_an_assigned_group(world, client_for):
    assert _plan_page(world, client_for).context["not_on_team"] == []
