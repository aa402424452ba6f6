"""Residents for tests, admitted through the service (so their clocks are the service's)."""

import datetime

from django.utils import timezone

from audit_portal.accounts.models import User
from inspections.models import CustodyAgreement, ResidentCategory
from residents import services
from residents.models import Resident

ID_NUMBER = "11010519491231002X"


def station_user(agreement: CustodyAgreement) -> User:
    """An active account of the agreement's station (the world's station staff, or a new one)."""
    user = User.objects.filter(
        role=User.Role.STAFF, organisation_id=agreement.station_id, is_active=True
    ).first()
    if user is None:
        from tests.factories import UserFactory

        user = UserFactory(organisation=agreement.station)
    return user


def admit(
    agreement: CustodyAgreement,
    *,
    actor: User | None = None,
    admitted_at: datetime.datetime | None = None,
    name: str = "无名氏甲",
    category: str = ResidentCategory.ELDERLY,
    **fields,
) -> Resident:
    fields.setdefault("sex", Resident.Sex.MALE)
    fields.setdefault("name_is_provisional", True)
    return services.resident_admit(
        agreement=agreement,
        admitted_at=admitted_at or timezone.now() - datetime.timedelta(hours=1),
        actor=actor or station_user(agreement),
        name=name,
        category=category,
        **fields,
    )
