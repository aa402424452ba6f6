import pytest

from audit_portal.notices.models import Notification
from openday.models import PublicComplaint

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_complaint_the_supervisor_forwarded_to_the_city_bureau(demo):
    forwarded = PublicComplaint.objects.get(forwarded_as__isnull=False)
    assert forwarded.status == PublicComplaint.Status.HANDLING
    key = f"complaint:{forwarded.forwarded_as_id}:forwarded"
    told = set(Notification.objects.filter(key=key).values_list("recipient__username", flat=True))
    assert {"city", "city2", "admin"} <= told
    assert "supervisor" not in told
