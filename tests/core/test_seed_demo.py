import datetime
import json
from pathlib import Path

import pytest
from django.utils import timezone

from audit_portal.accounts.demo import DEMO_PASSWORD
from audit_portal.accounts.models import Organisation, User
from inspections.dates import add_months
from inspections.models import Issue
from openday.models import Summary
from supervisors.selectors import terms_ending
from tests.unrendered import seed_demo

pytestmark = pytest.mark.django_db


def test_it_creates_one_account_per_role_and_prints_them():
    output = seed_demo()
    assert DEMO_PASSWORD in output
    for username in ("admin", "city", "donghu", "xishan", "station", "supervisor", "institution"):
        assert username in output
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    assert set(User.objects.values_list("role", flat=True)) == set(User.Role.values)


def test_the_demo_follows_the_rules_of_the_area(settings):
    settings.AUDIT_RULES_OVERRIDES = json.dumps(
        {"supervisor_term_years": 3, "rectification_days_major": 2, "openday_period_months": 6}
    )
    seed_demo()
    today = timezone.localdate()
    # A term appointed a (three-year) term ago less 40 days ends within the warning.
    assert terms_ending(today, today + datetime.timedelta(days=90)).exists()
    assert Issue.objects.filter(severity=Issue.Severity.MAJOR, rectification_days=2).exists()
    summary = Summary.objects.get()
    assert summary.period_start == add_months(today, -6) + datetime.timedelta(days=1)


def test_it_is_idempotent(demo):
    counts = (User.objects.count(), Organisation.objects.count())
    seed_demo()
    assert (User.objects.count(), Organisation.objects.count()) == counts


ROLE_HOMES = {
    "admin": ("home/admin.html", "系统管理"),
    "city": ("home/staff.html", "江海市民政局"),
    "donghu": ("home/staff.html", "东湖区民政局"),
    "xishan": ("home/staff.html", "西山县民政局"),
    "station": ("home/staff.html", "江海市救助管理站"),
    "supervisor": ("home/supervisor.html", "特邀监督员"),
    "institution": ("home/institution.html", "机构工作台"),
}


def test_each_demo_account_logs_in_with_the_printed_password_and_sees_its_home_in_chinese(
    demo, client
):
    from django.urls import reverse

    for username, (template, heading) in ROLE_HOMES.items():
        login = client.post(
            reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD}
        )
        assert login.status_code == 302, username
        home = client.get(login.url)
        assert home.status_code == 200, username
        assert template in [t.name for t in home.templates], username
        page = home.content.decode()
        assert '<html lang="zh-CN">' in page and heading in page, username
        client.post(reverse("accounts:logout"))


def test_each_app_declares_its_demo_data_and_the_base_names_none():
    from audit_portal.accounts.management.commands.seed_demo import demo_seeders

    seeders = demo_seeders()
    assert seeders[0] == "audit_portal.accounts.demo.seed"
    assert seeders.index("inspections.demo.seed") < seeders.index("supervisors.demo.seed")
    assert seeders[-1] == "openday.demo.seed"
    source = Path(__file__).parents[2] / "audit_portal/accounts/management/commands/seed_demo.py"
    assert not any(app in source.read_text() for app in ("inspections", "supervisors", "openday"))


def test_each_printed_account_has_unread_notifications_and_something_to_do(demo):
    from audit_portal.notices.models import Notification
    from audit_portal.notices.selectors import inbox

    printed = seed_demo()
    usernames = [line.split()[0] for line in printed.splitlines()[1:] if line.strip()]
    assert {"admin", "city", "donghu", "xishan", "station", "supervisor", "institution"} <= set(
        usernames
    )
    for username in usernames:
        user = User.objects.get(username=username)
        unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
        assert unread.exists(), username
        assert inbox(user), username
    # Every role is among them.
    roles = set(User.objects.filter(username__in=usernames).values_list("role", flat=True))
    assert roles == set(User.Role.values)
