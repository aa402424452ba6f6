"""Demo residents at the demo welfare home, one at each stage: just admitted (notice due), a
police verification pending and one overdue, a long stay awaiting settlement, a verified
identity, two minors returned home (a follow-up due, one missed), a death and a missing person."""

import datetime

from django.utils import timezone

from inspections.models import CustodyAgreement, ResidentCategory
from residents import services
from residents.models import IdentityStep, Resident

DAY = datetime.timedelta(days=1)


def _agreement(world: dict) -> CustodyAgreement | None:
    return (
        CustodyAgreement.objects.filter(
            station=world.get("station"), status=CustodyAgreement.Status.ACTIVE
        )
        .select_related("institution")
        .order_by("number")
        .first()
    )


def seed(world: dict) -> None:
    agreement = _agreement(world)
    station_user, carer = world.get("user_station"), world.get("user_institution")
    if agreement is None or station_user is None or Resident.objects.exists():
        return  # no agreement yet (inspections' demo data comes first), or seeded already
    now = timezone.now()
    opened = datetime.datetime.combine(
        agreement.starts_on, datetime.time(9), tzinfo=timezone.get_current_timezone()
    )

    def admit(days_ago: float, name: str, **fields) -> Resident:
        fields.setdefault("category", ResidentCategory.ELDERLY)
        fields.setdefault("sex", Resident.Sex.MALE)
        return services.resident_admit(
            agreement=agreement,
            admitted_at=max(now - days_ago * DAY, opened),
            actor=station_user,
            name=name,
            **fields,
        )

    def publish_notice(resident: Resident, hours: int = 20) -> None:
        notice = resident.identity_steps.get(kind=IdentityStep.Kind.NOTICE)
        services.identity_step_complete(
            step=notice,
            done_at=min(resident.admitted_at + datetime.timedelta(hours=hours), now),
            outcome=IdentityStep.Outcome.DONE,
            reference="全国救助寻亲网",
            actor=station_user,
        )

    admit(0.1, "无名氏2026-031", name_is_provisional=True, birth_year=now.year - 70)

    pending = admit(12, "无名氏2026-028", name_is_provisional=True, birth_year=now.year - 65)
    publish_notice(pending)
    services.identity_step_record(
        resident=pending,
        kind=IdentityStep.Kind.POLICE,
        started_at=pending.admitted_at + DAY,
        reference="公（协查）字〔2026〕118号",
        actor=station_user,
    )
    overdue = admit(45, "无名氏2026-019", name_is_provisional=True, sex=Resident.Sex.FEMALE)
    publish_notice(overdue)
    for kind in (IdentityStep.Kind.POLICE, IdentityStep.Kind.DNA, IdentityStep.Kind.FINGERPRINT):
        services.identity_step_record(
            resident=overdue, kind=kind, started_at=overdue.admitted_at + DAY, actor=station_user
        )

    long_stay = admit(
        110, "无名氏2026-004", name_is_provisional=True, category=ResidentCategory.DISABLED
    )
    publish_notice(long_stay)
    face = services.identity_step_record(
        resident=long_stay,
        kind=IdentityStep.Kind.FACE,
        started_at=long_stay.admitted_at + 30 * DAY,
        actor=station_user,
    )
    services.identity_step_complete(
        step=face,
        done_at=long_stay.admitted_at + 40 * DAY,
        outcome=IdentityStep.Outcome.NOT_IDENTIFIED,
        actor=station_user,
    )

    verified = admit(
        30,
        "赵德明",
        identity_status=Resident.Identity.VERIFIED,
        id_number="11010519491231002X",
        birth_year=1949,
    )
    publish_notice(verified, hours=6)

    for days_ago, returned_ago, name, area in [
        (60, 40, "小明（化名）", "安徽省阜阳市颍州区"),
        (25, 10, "小红（化名）", "河南省周口市川汇区"),
    ]:
        minor = admit(
            days_ago,
            name,
            category=ResidentCategory.DISABLED,
            birth_year=now.year - 14,
            identity_status=Resident.Identity.CLAIMED,
        )
        publish_notice(minor, hours=3)
        entry = services.resident_return_home(
            resident=minor,
            returned_at=max(now - returned_ago * DAY, minor.admitted_at + DAY),
            home_area=area,
            home_station=area[:6] + "救助管理站",
            received_by="当地民政工作人员",
            actor=station_user,
        )
        if entry.returned_on + 2 * DAY <= timezone.localdate():
            services.return_feedback_record(
                entry=entry, sent_on=entry.returned_on + 2 * DAY, actor=station_user
            )

    if carer is None or carer.institution_id != agreement.institution_id:
        return
    for days_ago, name, kind, note in [
        (80, "无名氏2026-009", Resident.Discharge.DIED, "因病医治无效死亡"),
        (50, "无名氏2026-015", Resident.Discharge.MISSING, "外出就医途中走失，已报警"),
    ]:
        resident = admit(days_ago, name, name_is_provisional=True)
        publish_notice(resident)
        services.resident_discharge(
            resident=resident,
            kind=kind,
            discharged_at=max(now - 5 * DAY, resident.admitted_at + DAY),
            note=note,
            actor=carer,
            reason=note,
        )
