import pytest
from django.utils import timezone

from audit_portal.accounts.models import User
from inspections.models import MonthlyReport
from inspections.selectors.dashboard import dashboard_rows
from inspections.selectors.reports import is_flagged, late_and_missing, report_checks
from tests.unrendered import seed_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_months_of_reports_with_a_late_one_and_a_mismatch(demo):
    reports = MonthlyReport.objects.all()
    assert reports.values("month").distinct().count() >= 6
    assert reports.filter(days_late__gt=0).exists()
    assert reports.filter(status="returned").exists()
    assert reports.filter(amendment_count__gt=0, status="accepted").exists()
    checks = report_checks(reports)
    assert any(is_flagged(report, checks[report.pk]) for report in reports)
    city = User.objects.get(username="city")
    today = timezone.localdate()
    assert any(row.is_missing for row in late_and_missing(city, today))
    assert dashboard_rows(city, today)[0].score > 0
    # Seeding again adds nothing.
    count = reports.count()
    seed_demo()
    assert MonthlyReport.objects.count() == count
