"""Demo open day: the coming open day's summary (the 12 months up to today) drafted by the city
bureau, approved by a second city account and published; visits arranged at every approved
institution with a few registrations; a public complaint answered, and one waiting that the
supervisor working at the institution has forwarded to the city bureau."""

import datetime

from django.utils import timezone

from audit_portal.accounts.models import User
from audit_portal.rules import rules
from inspections.dates import add_months
from inspections.models import Institution
from openday import services
from openday.models import PublicComplaint, Summary, VisitDay, open_day
from openday.policies import complaint_policy

NARRATIVES = [
    "全年接受各类检查，发现的问题已按期整改到位；消防设施完成全面更新。",
    "新建无障碍通道和康复活动室，托养人员生活照料更加规范。",
    "加强食品安全管理，建立留样和进货查验台账。",
]


def _approver(world: dict) -> User | None:
    city = world.get("city")
    if city is None:
        return None
    existing = User.objects.filter(username="city2").first()
    if existing:
        return existing
    from audit_portal.accounts.demo import DEMO_PASSWORD
    from audit_portal.accounts.services import user_create

    user = user_create(
        username="city2",
        password=DEMO_PASSWORD,
        actor=None,
        full_name="周红",
        role=User.Role.STAFF,
        organisation=city,
    )
    world.setdefault("accounts", []).append(("city2", f"{User.Role.STAFF.label} · {city}"))
    return user


def seed(world: dict) -> None:
    drafter = world.get("user_city")
    approver = _approver(world)
    if drafter is None or approver is None or Summary.objects.exists():
        return
    # The coming open day, over the period of the rules (12 months) up to today: the demo's
    # records are recent, some (incidents, closures) dated today.
    today = timezone.localdate()
    year = today.year if today < open_day(today.year) else today.year + 1
    published = services.summary_draft(
        year=year,
        actor=drafter,
        period_start=add_months(today, -rules().openday_period_months) + datetime.timedelta(days=1),
        period_end=today,
    )
    for entry, text in zip(published.entries.order_by("pk"), NARRATIVES, strict=False):
        services.entry_narrative(entry=entry, text=text, actor=drafter)
    services.summary_approve(summary=published, actor=approver)
    services.summary_publish(summary=published, actor=approver)
    next_year = year
    for index, institution in enumerate(
        Institution.objects.filter(status=Institution.Status.APPROVED).order_by("pk")
    ):
        if VisitDay.objects.filter(institution=institution, year=next_year).exists():
            continue
        day = services.visit_day_set(
            institution=institution,
            year=next_year,
            capacity=30 + 10 * index,
            hours="09:00–11:30",
            meeting_point="正门接待处",
            registration_open=True,
            actor=drafter,
        )
        if index == 0:
            for n, (name, size) in enumerate([("张先生", 2), ("李女士", 3), ("王同学", 1)]):
                services.registration_create(
                    visit_day=day, name=name, phone=f"1391234560{n}", party_size=size
                )
    institution = Institution.objects.filter(status=Institution.Status.APPROVED).order_by("pk")
    institution = institution.first()
    if institution is None or PublicComplaint.objects.exists():
        return
    answered = services.complaint_submit(
        institution=institution,
        kind=PublicComplaint.Kind.SUGGESTION,
        text="建议周末增加家属探视时段。",
        name="钱先生",
        phone="13700001111",
    )
    services.complaint_reply(
        complaint=answered, actor=drafter, reply="机构已自下月起增加周六上午探视时段，感谢建议。"
    )
    waiting = services.complaint_submit(
        institution=institution,
        kind=PublicComplaint.Kind.COMPLAINT,
        text="探视时发现部分房间暖气不热。",
        name="孙女士",
        phone="13600002222",
    )
    supervisor = world.get("user_supervisor")
    if supervisor is not None and complaint_policy.allows("forward", supervisor, waiting):
        services.complaint_forward(
            complaint=waiting, actor=supervisor, note="监督走访时也发现二楼走廊温度偏低"
        )
