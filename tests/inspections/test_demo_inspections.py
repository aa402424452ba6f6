from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit_portal.accounts.models import User
from inspections.models import Inspection, Issue, Rectification
from inspections.selectors.inspections import issues_for, visit_gaps

pytestmark = pytest.mark.django_db


def test_the_demo_has_open_overdue_awaiting_and_closed_issues_and_a_visit_gap(demo):
    today = timezone.localdate()
    issues = Issue.objects.all()
    assert issues.filter(status="open", deadline__lt=today).exists()
    assert issues.filter(status="open", deadline__gte=today).exists()
    assert issues.filter(status="submitted").exists()
    assert issues.filter(status="closed", closed_in__isnull=False).exists()
    assert Rectification.objects.filter(decision="rejected").exists()
    assert Inspection.objects.filter(status="commenting").exists()
    assert Inspection.objects.filter(kind="monthly_visit").exists()
    station = User.objects.get(username="station")
    assert visit_gaps(station, today).exists()
    # The demo institution account sees its own issues, and only those.
    account = User.objects.get(username="institution")
    own = issues_for(account)
    assert own.exists()
    assert set(own.values_list("institution", flat=True)) == {account.institution_id}
    call_command("seed_demo", stdout=StringIO())
    assert Issue.objects.count() == issues.count()
