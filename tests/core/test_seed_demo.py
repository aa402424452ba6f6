from io import StringIO

import pytest
from django.core.management import call_command

from audit_portal.accounts.demo import DEMO_PASSWORD
from audit_portal.accounts.models import Organisation, User

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_it_creates_one_account_per_role_and_prints_them():
    output = run()
    assert DEMO_PASSWORD in output
    for username in ("admin", "city", "donghu", "xishan", "station", "supervisor", "institution"):
        assert username in output
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    assert set(User.objects.values_list("role", flat=True)) == set(User.Role.values)


def test_it_is_idempotent():
    run()
    counts = (User.objects.count(), Organisation.objects.count())
    run()
    assert (User.objects.count(), Organisation.objects.count()) == counts
