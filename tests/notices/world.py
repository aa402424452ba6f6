"""Notifications in the shared test world.

- ``notification``: an unread notification of county A staff, linking to the home page.
- ``calendar_token``: county A staff's secret calendar address (the token itself).
"""

from audit_portal.notices import services
from audit_portal.notices.kinds import Kind
from audit_portal.notices.models import Notification


def extend(world) -> None:
    county_a = world.users["county_a_staff"]
    world.extra.update(
        notification=Notification.objects.create(
            recipient=county_a,
            kind=Kind.DEADLINE_NEAR,
            message="Rectification of %(institution)s due on %(day)s",
            params={"institution": "东湖区福利院", "day": "2026-10-10"},
            url="/",
            key="world:deadline",
        ),
        calendar_token=services.calendar_feed_reset(user=county_a),
    )
