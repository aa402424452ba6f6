import datetime

import factory
from django.utils import timezone

from audit_portal.core.validators import id_number_check_character
from supervisors.models import GroupMembership, SupervisionGroup, Supervisor, Term


def make_id_number(birth_date: datetime.date, serial: int = 123, region: str = "320102") -> str:
    body = f"{region}{birth_date:%Y%m%d}{serial % 1000:03d}"
    return body + id_number_check_character(body)


class SupervisorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supervisor

    full_name = factory.Sequence(lambda n: f"监督员{n}")
    gender = Supervisor.Gender.MALE
    birth_date = datetime.date(1975, 6, 15)
    id_number = factory.LazyAttributeSequence(lambda s, n: make_id_number(s.birth_date, n))
    employer = "江海市人民医院"
    title = "主任医师"
    expertise = "精神卫生"
    phone = "13800000000"
    email = "jd@example.cn"
    user = None


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    supervisor = factory.SubFactory(SupervisorFactory)
    number = factory.LazyAttribute(lambda t: t.supervisor.terms.count() + 1)
    consecutive_number = 1
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    last_day = factory.LazyAttribute(lambda t: Term.last_day_for(t.starts_on))
    undertaking_accepted_at = factory.LazyFunction(timezone.now)
    undertaking_version = "2026-1"


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionGroup

    name = factory.Sequence(lambda n: f"第{n}监督小组")


def member(group, supervisor, role=GroupMembership.Role.MEMBER, joined_on=None):
    return GroupMembership.objects.create(
        group=group,
        supervisor=supervisor,
        role=role,
        joined_on=joined_on or timezone.localdate() - datetime.timedelta(days=300),
    )


def full_group(*supervisors, status=SupervisionGroup.Status.ACTIVE, name=None):
    """A group of leader, deputy and members (each given a running term if they have none)."""
    group = GroupFactory(status=status, **({"name": name} if name else {}))
    roles = [GroupMembership.Role.LEADER, GroupMembership.Role.DEPUTY]
    for index, supervisor in enumerate(supervisors):
        if supervisor.term_on(timezone.localdate()) is None:
            TermFactory(supervisor=supervisor)
        member(group, supervisor, roles[index] if index < 2 else GroupMembership.Role.MEMBER)
    return group
