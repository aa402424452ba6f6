"""Demo supervisors: an active group (leader: the demo account "supervisor", undertaking
accepted) assigned to the first demo institution, a term ending soon, and a candidate halfway
through the appointment procedure."""

import datetime

from django.utils import timezone

from audit_portal.core.crypto import blind_index
from audit_portal.core.history import save_audited
from audit_portal.core.validators import id_number_check_character
from audit_portal.rules import rules
from inspections.dates import add_years
from inspections.models import Institution
from supervisors import services
from supervisors.models import (
    GroupMembership,
    SupervisionGroup,
    Supervisor,
    Term,
    VettingFinding,
)

PEOPLE = [
    # name, gender, birth date, employer, title, expertise
    ("刘志强", "male", datetime.date(1972, 3, 8), "江海市第一人民医院", "副主任医师", "精神卫生"),
    ("周敏", "female", datetime.date(1978, 11, 20), "江海律师事务所", "律师", "法律"),
    ("吴建华", "male", datetime.date(1968, 5, 2), "江海市人大代表", "退休教师", "社会工作"),
    ("郑晓燕", "female", datetime.date(1980, 7, 15), "江海市消防救援支队", "工程师", "消防安全"),
    ("黄立新", "male", datetime.date(1970, 1, 30), "江海市疾控中心", "主管医师", "卫生防疫"),
]


def _id_number(birth: datetime.date, serial: int) -> str:
    body = f"320102{birth:%Y%m%d}{serial:03d}"
    return body + id_number_check_character(body)


def _supervisor(index: int, user=None) -> Supervisor:
    name, gender, birth, employer, title, expertise = PEOPLE[index]
    id_number = _id_number(birth, 101 + index)
    existing = Supervisor.objects.filter(id_number_digest=blind_index(id_number)).first()
    if existing:
        return existing
    supervisor = Supervisor(
        full_name=name,
        gender=gender,
        birth_date=birth,
        id_number=id_number,
        employer=employer,
        title=title,
        expertise=expertise,
        phone=f"1390000{index:04d}",
        user=user,
    )
    return save_audited(supervisor, actor=None)


def _term(supervisor: Supervisor, starts_on: datetime.date, accepted: bool) -> Term:
    existing = supervisor.terms.first()
    if existing:
        return existing
    term = Term(
        supervisor=supervisor,
        number=1,
        starts_on=starts_on,
        last_day=Term.last_day_for(starts_on),
        undertaking_accepted_at=timezone.now() if accepted else None,
        undertaking_version=services.UNDERTAKING_VERSION if accepted else "",
    )
    return save_audited(term, actor=None)


def seed(world: dict) -> None:
    city = world["user_city"]
    today = timezone.localdate()
    people = [
        _supervisor(0, user=world.get("user_supervisor")),
        *(_supervisor(i) for i in range(1, 4)),
    ]
    _term(people[0], today - datetime.timedelta(days=400), accepted=True)
    _term(people[1], today - datetime.timedelta(days=300), accepted=True)
    # Ending soon: appointed a full term ago less 40 days.
    appointed = add_years(today, -rules().supervisor_term_years) + datetime.timedelta(days=40)
    _term(people[2], appointed, accepted=True)
    _term(people[3], today - datetime.timedelta(days=200), accepted=False)

    group = SupervisionGroup.objects.filter(name="第一监督小组").first()
    if group is None:
        group = services.group_create(name="第一监督小组", actor=city)
        roles = [
            GroupMembership.Role.LEADER,
            GroupMembership.Role.DEPUTY,
            GroupMembership.Role.MEMBER,
            GroupMembership.Role.MEMBER,
        ]
        for supervisor, role in zip(people, roles, strict=True):
            services.group_add_member(group=group, supervisor=supervisor, role=role, actor=city)
        services.group_activate(group=group, actor=city)
    institution = Institution.objects.order_by("pk").first()
    if institution is not None and not group.assignments.filter(ends_on__isnull=True).exists():
        services.group_assign(group=group, institution=institution, actor=city)

    candidate = _supervisor(4)
    if not candidate.appointments.exists():
        appointment = services.appointment_nominate(
            supervisor=candidate,
            invited_on=today - datetime.timedelta(days=10),
            note="联席会议办公室推荐：疾控专业背景",
            actor=city,
        )
        services.appointment_vet(
            appointment=appointment,
            findings=dict.fromkeys(VettingFinding.Condition, (True, "经考察符合")),
            actor=city,
        )
    world.update(supervision_group=group, supervisor_candidate=candidate)
