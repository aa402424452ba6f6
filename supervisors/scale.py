"""City-scale data (``manage.py seed_scale``), the supervisor scheme: about two supervisors for
every five institutions, each appointed through the full procedure (nomination, vetting on every
condition, the joint meeting, filing) for five-year terms, most renewed once; groups of 3–5 with a
leader and a deputy, assigned to the institutions, with the members' object grants; trainings and
symposiums, complaints forwarded and suggestions made; a few candidates in the pipeline.

Leaves ``world["supervision"]``: {institution pk: [(from, until, [member user pks])]}, the
windows in which supervisors could visit it (the inspections seeder plans their visits).
"""

import datetime

from guardian.models import UserObjectPermission

from audit_portal.accounts.models import User
from audit_portal.accounts.scale import person_name
from audit_portal.core.scale import at, day_between
from audit_portal.core.validators import id_number_check_character
from inspections.dates import add_years
from supervisors.models import (
    Appointment,
    Assignment,
    Complaint,
    Event,
    GroupMembership,
    Suggestion,
    SupervisionGroup,
    Supervisor,
    Term,
    VettingFinding,
)
from supervisors.services.grants import _permissions
from supervisors.services.terms import UNDERTAKING_VERSION

DAY = datetime.timedelta(days=1)
EMPLOYERS = (
    ("江海市第一人民医院", "副主任医师", "精神卫生"),
    ("江海市疾控中心", "主管医师", "卫生防疫"),
    ("江海律师事务所", "律师", "法律"),
    ("江海市消防救援支队", "工程师", "消防安全"),
    ("江海市人大代表", "退休教师", "社会工作"),
    ("江海职业技术学院", "副教授", "社会工作"),
    ("江海市市场监督管理局", "食品安全监督员", "食品安全"),
    ("江海市社区卫生服务中心", "护士长", "护理"),
    ("江海日报社", "记者", "舆论监督"),
    ("江海市政协委员", "企业管理人员", "财务管理"),
)


def _id_number(birth: datetime.date, serial: int, male: bool) -> str:
    # The 17th digit is odd for men, even for women (GB 11643).
    body = f"320102{birth:%Y%m%d}{serial % 100:02d}{(serial % 5) * 2 + (1 if male else 0)}"
    return body + id_number_check_character(body)


def _birth(taken: set, day: datetime.date) -> datetime.date:
    """A birth date no one else has (with the serial, it makes the ID number unique)."""
    while day in taken:
        day += DAY
    taken.add(day)
    return day


def seed(world: dict) -> None:
    rng = world["random"]("supervisors")
    writer, today, start = world["writer"], world["today"], world["start"]
    city_user = world["staff"][world["city"]][0]
    count = max(5, round(world["institutions_wanted"] * 0.4))
    running: list[tuple[int, int | None, datetime.date]] = []  # supervisor, user, run began
    former: list[tuple[int, datetime.date, datetime.date]] = []  # supervisor, began, left
    world["supervisor_births"] = births = set()
    for index in range(count):
        # The first five serve today whatever the draws: the smallest city still has a group.
        anchored = index < 5
        first = today - datetime.timedelta(
            days=400 if index == 0 else rng.randint(30, 1800 if anchored else 3400)
        )
        invited = first - datetime.timedelta(days=rng.randint(40, 90))
        birth = _birth(births, invited - datetime.timedelta(days=rng.randint(28 * 365, 54 * 365)))
        male = rng.random() < 0.55
        employer, title, expertise = rng.choice(EMPLOYERS)
        name = "刘志强" if index == 0 else person_name(rng)
        username = "supervisor" if index == 0 else f"sup{index + 1:03d}"
        user = writer.add(
            User,
            username=username,
            password=world["password_hash"],
            full_name=name,
            role=User.Role.SUPERVISOR,
            email=f"{username}@example.cn",
            date_joined=at(first, 9),
        )
        supervisor = writer.add(
            Supervisor,
            full_name=name,
            gender="male" if male else "female",
            birth_date=birth,
            id_number=_id_number(birth, index, male),
            employer=employer,
            title=title,
            expertise=expertise,
            phone=f"139{rng.randint(10000000, 99999999)}",
            user_id=user,
            created_at=at(invited, 9),
        )
        ended = _terms(world, rng, supervisor, first, invited, city_user, anchored=anchored)
        if ended is None:
            running.append((supervisor, user, max(first, start)))
        elif ended > start:
            former.append((supervisor, max(first, start), ended))
    _pipeline(world, rng, count, city_user)
    groups = _groups(world, rng, running, former)
    _assign(world, rng, groups)
    _activity(world, rng, [s for s, _u, _b in running])
    world["accounts"].append(("supervisor", "invited supervisor, leader of 第1监督小组"))


def _appointment(world, rng, supervisor, invited, starts, city_user) -> int:
    writer = world["writer"]
    meeting = invited + datetime.timedelta(days=rng.randint(15, 30))
    pk = writer.add(
        Appointment,
        supervisor_id=supervisor,
        stage=Appointment.Stage.FILED,
        invited_on=invited,
        nomination_note="联席会议办公室推荐",
        nominated_by_id=city_user,
        nominated_at=at(invited, 10),
        vetted_by_id=city_user,
        vetted_at=at(invited + datetime.timedelta(days=10), 15),
        decided_by_id=city_user,
        decided_at=at(meeting, 16),
        meeting_date=meeting,
        minutes_reference=f"联席会议纪要〔{meeting.year}〕{rng.randint(1, 12)}号",
        filed_by_id=city_user,
        filed_at=at(starts, 10),
        employer_notified_on=starts - datetime.timedelta(days=3),
        filing_number=f"JHJD-{starts.year}-{supervisor:04d}",
    )
    for condition in VettingFinding.Condition:
        writer.add(
            VettingFinding, appointment_id=pk, condition=condition, met=True, note="经考察符合"
        )
    return pk


def _terms(world, rng, supervisor, first, invited, city_user, *, anchored) -> datetime.date | None:
    """The supervisor's terms; returns the day access ended, or None while one runs."""
    writer, today = world["writer"], world["today"]
    starts, number = first, 1
    while True:
        last_day = add_years(starts, 5)
        early = None
        if not anchored and (min(last_day, today) - starts).days > 30 and rng.random() < 0.04:
            early = day_between(rng, starts + 30 * DAY, min(last_day, today))
        accepted = starts + datetime.timedelta(days=rng.randint(1, 10))
        if accepted > today or (not anchored and last_day >= today and rng.random() < 0.05):
            accepted = None
        writer.add(
            Term,
            supervisor_id=supervisor,
            appointment_id=_appointment(world, rng, supervisor, invited, starts, city_user),
            number=number,
            consecutive_number=number,
            starts_on=starts,
            last_day=last_day,
            terminated_on=early,
            end_kind="resignation" if early else "",
            end_reason="因工作调动辞去监督员职务" if early else "",
            undertaking_accepted_at=at(accepted, 10) if accepted else None,
            undertaking_version=UNDERTAKING_VERSION if accepted else "",
        )
        if early is not None:
            return early
        if last_day >= today:
            return None
        if number == 2 or rng.random() < 0.3:
            return last_day + DAY
        starts, number = last_day + DAY, 2
        invited = starts - datetime.timedelta(days=rng.randint(40, 90))


def _pipeline(world, rng, count, city_user) -> None:
    """Candidates halfway through the procedure, and one turned down."""
    writer, today = world["writer"], world["today"]
    for index in range(max(1, count // 40)):
        invited = today - datetime.timedelta(days=rng.randint(5, 60))
        birth = invited - datetime.timedelta(days=rng.randint(30 * 365, 55 * 365))
        birth = _birth(world["supervisor_births"], birth)
        candidate = writer.add(
            Supervisor,
            full_name=person_name(rng),
            gender="female",
            birth_date=birth,
            id_number=_id_number(birth, 9000 + index, False),
            employer=rng.choice(EMPLOYERS)[0],
            phone=f"138{rng.randint(10000000, 99999999)}",
            created_at=at(invited, 9),
        )
        down = index % 3 == 2
        writer.add(
            Appointment,
            supervisor_id=candidate,
            stage=Appointment.Stage.TURNED_DOWN if down else Appointment.Stage.NOMINATED,
            invited_on=invited,
            nomination_note="联席会议办公室推荐",
            nominated_by_id=city_user,
            nominated_at=at(invited, 10),
            turned_down_by_id=city_user if down else None,
            turned_down_at=at(invited + 5 * DAY, 15) if down else None,
            turned_down_at_stage=Appointment.Stage.NOMINATED if down else "",
            turn_down_reason="本人因工作原因婉拒" if down else "",
        )


def _groups(world, rng, running, former) -> list[tuple[int, datetime.date, list]]:
    """Groups of the supervisors serving today (3–5, a leader and a deputy), and the former
    members who left them when their terms ended."""
    writer = world["writer"]
    rest = running[1:]
    rng.shuffle(rest)
    running = [running[0], *rest]
    sizes = []
    left = len(running)
    while left > 0:
        size = min(left, rng.randint(3, 5))
        if 0 < left - size < 3:
            size = left if left <= 5 else left - 3
        sizes.append(size)
        left -= size
    groups, position = [], 0
    for number, size in enumerate(sizes, 1):
        members = running[position : position + size]
        position += size
        formed = min(began for _s, _u, began in members)
        group = writer.add(
            SupervisionGroup,
            name=f"第{number}监督小组",
            status=SupervisionGroup.Status.ACTIVE if size >= 3 else SupervisionGroup.Status.FORMING,
            created_at=at(formed, 9),
        )
        roles = ["leader", "deputy", *["member"] * (size - 2)]
        for (supervisor, _user, began), role in zip(members, roles, strict=False):
            writer.add(
                GroupMembership,
                group_id=group,
                supervisor_id=supervisor,
                role=role,
                joined_on=began,
            )
        groups.append((group, formed, [user for _s, user, _b in members], size >= 3))
    for supervisor, began, ended in former:
        group = rng.choice(groups)
        writer.add(
            GroupMembership,
            group_id=group[0],
            supervisor_id=supervisor,
            role="member",
            joined_on=began,
            left_on=ended,
        )
    return groups


def _assign(world, rng, groups) -> None:
    writer, today = world["writer"], world["today"]
    permissions = _permissions()
    content_type = permissions[0].content_type_id
    world["supervision"] = supervision = {}
    working = [g for g in groups if g[3]]
    for index, inst in enumerate(world["institutions"]):
        if not working or (index and (inst.terminated or rng.random() < 0.1)):
            continue
        group, formed, users, _active = working[0] if index == 0 else rng.choice(working)
        since = max(formed, inst.registered + 30 * DAY, world["start"])
        if since > today:
            continue
        if rng.random() < 0.08 and (today - since).days > 200:
            # An earlier group looked after it until the groups were reorganised.
            other = rng.choice(working)
            moved = day_between(rng, since + 60 * DAY, today - 60 * DAY)
            writer.add(
                Assignment,
                group_id=other[0],
                institution_id=inst.pk,
                starts_on=since,
                ends_on=moved - DAY,
                end_reason="监督小组调整",
            )
            supervision.setdefault(inst.pk, []).append((since, moved - DAY, other[2]))
            since = moved
        writer.add(Assignment, group_id=group, institution_id=inst.pk, starts_on=since)
        supervision.setdefault(inst.pk, []).append((since, today, users))
        for user in users:
            for permission in permissions:
                writer.add(
                    UserObjectPermission,
                    permission_id=permission.pk,
                    user_id=user,
                    content_type_id=content_type,
                    object_pk=str(inst.pk),
                )


def _activity(world, rng, serving: list[int]) -> None:
    """Trainings and symposiums twice a year each; complaints and suggestions."""
    writer, today, start = world["writer"], world["today"], world["start"]
    for year in range(start.year, today.year + 1):
        for kind, month, title in (
            ("training", 4, "特邀监督员业务培训"),
            ("symposium", 6, "特邀监督员座谈会"),
            ("training", 10, "消防安全专题培训"),
            ("symposium", 12, "年度工作总结座谈会"),
        ):
            held = datetime.date(year, month, rng.randint(5, 25))
            if not start <= held <= today:
                continue
            event = writer.add(
                Event, kind=kind, title=f"{year}年{title}", held_on=held, place="市民政局会议室"
            )
            for supervisor in rng.sample(serving, int(len(serving) * 0.6)):
                writer.add(Event.attendees.through, event_id=event, supervisor_id=supervisor)
    assigned = list(world["supervision"])
    years = (today - start).days / 365.25
    for _ in range(int(len(serving) * years * 0.3) if assigned else 0):
        received = day_between(rng, start, today)
        closed = (today - received).days > 30
        writer.add(
            Complaint,
            supervisor_id=rng.choice(serving),
            institution_id=rng.choice(assigned),
            received_on=received,
            summary="群众反映部分托养人员伙食较差",
            status=Complaint.Status.CLOSED if closed else Complaint.Status.FORWARDED,
            handling_note="已约谈机构负责人，督促改善伙食" if closed else "",
            created_at=at(received, 16),
        )
    for _ in range(int(len(serving) * years * 0.5) if assigned else 0):
        made = day_between(rng, start, today)
        writer.add(
            Suggestion,
            supervisor_id=rng.choice(serving),
            institution_id=rng.choice(assigned),
            made_on=made,
            text="建议增加托养人员文体活动，定期组织心理疏导。",
            response="已采纳，机构将每月组织一次集体活动。" if rng.random() < 0.7 else "",
        )
