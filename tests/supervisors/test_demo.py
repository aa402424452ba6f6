import datetime

import pytest
from django.utils import timezone

from audit_portal.accounts.models import User
from inspections.models import Institution
from inspections.selectors import institutions_for
from supervisors.models import Appointment, SupervisionGroup, Supervisor, Term
from supervisors.selectors import terms_ending
from tests.unrendered import seed_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_active_group_led_by_the_demo_supervisor(demo):
    user = User.objects.get(username="supervisor")
    group = SupervisionGroup.objects.get(status=SupervisionGroup.Status.ACTIVE)
    leader = group.current_memberships().get(role="leader")
    assert leader.supervisor.user == user
    assert group.current_memberships().filter(role="deputy").exists()
    assert leader.supervisor.term_on(timezone.localdate()).undertaking_accepted_at
    if Institution.objects.exists():
        assert institutions_for(user).get() == Institution.objects.order_by("pk").first()


def test_the_demo_has_a_term_ending_soon_and_a_candidate_mid_procedure(demo):
    today = timezone.localdate()
    assert terms_ending(today, today + datetime.timedelta(days=90)).exists()
    assert Appointment.objects.filter(stage=Appointment.Stage.VETTED).exists()


def test_the_demo_is_idempotent(demo):
    counts = (Supervisor.objects.count(), Term.objects.count(), Appointment.objects.count())
    seed_demo()
    assert (Supervisor.objects.count(), Term.objects.count(), Appointment.objects.count()) == counts
