"""The demo shows a resident at every stage."""

import pytest
from django.utils import timezone

from residents.models import FollowUpVisit, IdentityStep, Resident, ReturnHome
from tests.unrendered import seed_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_residents_at_every_stage(demo):
    now = timezone.now()
    today = timezone.localdate()
    in_care = Resident.objects.filter(discharged_at__isnull=True)
    assert IdentityStep.objects.filter(kind="notice", done_at__isnull=True, due_at__gt=now).exists()
    police = IdentityStep.objects.filter(kind="police", done_at__isnull=True)
    assert police.filter(due_at__gt=now).exists() and police.filter(due_at__lt=now).exists()
    assert in_care.filter(long_stay_on__lte=today, settlements__isnull=True).exists()
    assert in_care.filter(identity_status=Resident.Identity.VERIFIED).exists()
    assert ReturnHome.objects.filter(follow_up_required=True).count() == 2
    assert FollowUpVisit.objects.filter(done_on__isnull=True, due_on__lt=today).exists()
    assert FollowUpVisit.objects.filter(done_on__isnull=True, due_on__gte=today).exists()
    kinds = set(Resident.objects.values_list("discharge_kind", flat=True))
    assert {"died", "missing", "returned_home"} <= kinds


def test_the_demo_is_idempotent(demo):
    count = Resident.objects.count()
    seed_demo()
    assert Resident.objects.count() == count
