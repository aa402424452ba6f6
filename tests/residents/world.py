"""Residents in the shared test world.

- ``resident_a``: in care at institution A, placed by the station under ``agreement_a``, with a
  verified ID number and a pending settlement report (``settlement_a``); its family-search
  notice (``notice_a``) is open.
- ``returned_a``: a minor (disabled, born 15 years ago) placed the same way, returned home, with
  a follow-up visit due (``follow_up_a``).
- ``resident_b``: in care at institution B (county B), placed by a station of county B under
  ``agreement_b``, which has ended since (institution B owes no monthly report: the inspections
  tests rely on it having no agreement in force).
"""

import datetime

from django.utils import timezone

from audit_portal.accounts.models import Organisation
from inspections.models import CustodyAgreement, ResidentCategory
from residents import services
from residents.models import IdentityStep, Resident
from tests.factories import OrganisationFactory, UserFactory
from tests.inspections.factories import AgreementFactory
from tests.residents.factories import ID_NUMBER, admit


def extend(world) -> None:
    now = timezone.now()
    station = world.users["station_staff"]
    resident_a = admit(
        world.agreement_a,
        actor=station,
        admitted_at=now - datetime.timedelta(days=120),
        name="张阿福",
        name_is_provisional=False,
        identity_status=Resident.Identity.VERIFIED,
        id_number=ID_NUMBER,
    )
    settlement = services.settlement_file(
        resident=resident_a,
        kind="report",
        filed_on=timezone.localdate() - datetime.timedelta(days=5),
        actor=station,
    )
    returned = admit(
        world.agreement_a,
        actor=station,
        admitted_at=now - datetime.timedelta(days=20),
        name="李小军",
        category=ResidentCategory.DISABLED,
        birth_year=timezone.localdate().year - 15,
    )
    entry = services.resident_return_home(
        resident=returned,
        returned_at=now - datetime.timedelta(days=2),
        home_area="安徽省阜阳市",
        home_station="阜阳市救助管理站",
        actor=station,
    )
    station_b = OrganisationFactory(
        name="西山县救助管理站",
        code="station-b",
        kind=Organisation.Kind.STATION,
        parent=world.county_b,
    )
    agreement_b = AgreementFactory(station=station_b, institution=world.institution_b)
    # County B's station has no persona: an account admits resident B and is closed again, so
    # the world's lists of active accounts (recipients, reminders) stay as they were.
    clerk = UserFactory(username="station_b", organisation=station_b)
    resident_b = admit(agreement_b, actor=clerk, name="王无名")
    clerk.is_active = False
    clerk.save(update_fields=["is_active"])
    CustodyAgreement.objects.filter(pk=agreement_b.pk).update(status=CustodyAgreement.Status.ENDED)
    agreement_b.refresh_from_db()
    world.extra.update(
        resident_a=resident_a,
        notice_a=resident_a.identity_steps.get(kind=IdentityStep.Kind.NOTICE),
        settlement_a=settlement,
        returned_a=Resident.objects.select_related("return_home").get(pk=returned.pk),
        return_home_a=entry,
        follow_up_a=entry.follow_ups.get(),
        resident_b=resident_b,
        agreement_b=agreement_b,
    )
