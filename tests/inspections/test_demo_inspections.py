import pytest
from django.utils import timezone

from audit_portal.accounts.models import User
from inspections.models import Inspection, Issue, Rectification
from inspections.selectors.inspections import issues_for, visit_gaps
from tests.unrendered import seed_demo

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
    seed_demo()
    assert Issue.objects.count() == issues.count()


def test_the_demo_leaves_work_waiting_for_the_supervisor_and_each_county(demo):
    from inspections import inbox

    today = timezone.localdate()
    supervisor = User.objects.get(username="supervisor")
    assert inbox.rectifications_to_verify(supervisor, on=today, limit=5).count == 1
    for county in ("donghu", "xishan"):
        user = User.objects.get(username=county)
        assert inbox.extensions_to_decide(user, on=today, limit=5).count == 1, county
    account = User.objects.get(username="institution")
    assert inbox.my_issues_due(account, on=today, limit=5).items[0].overdue
