"""A supervisor's user account may be linked after the supervisor joined an assigned group (the
record is often made before the account): the link gives the account its grants at once."""

import pytest
from django.urls import reverse

from audit_portal.accounts.models import User
from inspections.selectors import institutions_for
from supervisors import services
from tests.factories import UserFactory
from tests.supervisors.factories import SupervisorFactory, TermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_without_account(world):
    city = world.users["city_staff"]
    services.group_assign(group=world.group, institution=world.institution_a, actor=city)
    supervisor = SupervisorFactory(full_name="周晓红")
    TermFactory(supervisor=supervisor)
    services.group_add_member(group=world.group, supervisor=supervisor, role="member", actor=city)
    account = UserFactory(username="zhouxh", role=User.Role.SUPERVISOR, organisation=None)
    return supervisor, account


def test_linking_the_account_gives_it_the_assigned_institution(world, member_without_account):
    supervisor, account = member_without_account
    assert not institutions_for(account).exists()
    services.supervisor_update(
        supervisor=supervisor, user=account, actor=world.users["city_staff"], reason="开通账号"
    )
    assert list(institutions_for(account)) == [world.institution_a]


def test_linking_the_account_in_the_admin_gives_it_the_institution(
    world, member_without_account, client_for
):
    supervisor, account = member_without_account
    url = reverse("admin:supervisors_supervisor_change", args=[supervisor.pk])
    client = client_for("admin")
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name != "created_at"}
    data.update(
        user=account.pk,
        birth_date=supervisor.birth_date.isoformat(),
        created_at_0=supervisor.created_at.date().isoformat(),
        created_at_1="08:00:00",
        change_reason="开通账号",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(institutions_for(account)) == [world.institution_a]


def test_moving_the_record_to_another_account_moves_the_grants(world, member_without_account):
    supervisor, account = member_without_account
    city = world.users["city_staff"]
    services.supervisor_update(supervisor=supervisor, user=account, actor=city, reason="开通账号")
    replacement = UserFactory(username="zhouxh2", role=User.Role.SUPERVISOR, organisation=None)
    services.supervisor_update(
        supervisor=supervisor, user=replacement, actor=city, reason="原账号停用，换新账号"
    )
    old = User.objects.get(pk=account.pk)
    assert not old.has_perm("inspections.view_institution", world.institution_a)
    assert list(institutions_for(replacement)) == [world.institution_a]
