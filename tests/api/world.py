"""API tokens in the shared test world.

- ``api_token_city``: city staff's read-and-write token (``api_token_city_raw``);
- ``api_token_city_read``: city staff's read-only token (``api_token_city_read_raw``);
- ``api_token_institution``: the institution user's read-and-write token, made by the
  administrator (``api_token_institution_raw``).
"""

import datetime

from django.utils import timezone

from audit_portal.api.services import token_create


def extend(world) -> None:
    expires_on = timezone.localdate() + datetime.timedelta(days=30)
    city, admin = world.users["city_staff"], world.users["admin"]
    made = {
        "api_token_city": token_create(
            user=city, actor=city, name="统计脚本", scope="write", expires_on=expires_on
        ),
        "api_token_city_read": token_create(
            user=city, actor=city, name="只读脚本", scope="read", expires_on=expires_on
        ),
        "api_token_institution": token_create(
            user=world.users["institution_user"],
            actor=admin,
            name="机构系统对接",
            scope="write",
            expires_on=expires_on,
        ),
    }
    for name, (token, raw) in made.items():
        world.extra[name] = token
        world.extra[f"{name}_raw"] = raw
