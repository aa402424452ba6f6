"""Supervisors in the shared test world.

- ``supervisor_record``: the supervisor persona's record, in a running term with the undertaking
  accepted, leader of ``group`` (active: leader, deputy, member). The group has **no**
  assignment, so the persona sees no institution (tests assign it where they need to).
- ``candidate``: a supervisor nominated and waiting for vetting (``appointment``).
"""

import datetime

from django.utils import timezone

from supervisors.models import Appointment, Assignment, Complaint
from tests.supervisors.factories import SupervisorFactory, TermFactory, full_group


def extend(world) -> None:
    record = SupervisorFactory(full_name="刘志强", user=world.users["supervisor"])
    TermFactory(supervisor=record)
    group = full_group(record, SupervisorFactory(), SupervisorFactory(), name="第一监督小组")
    candidate = SupervisorFactory(full_name="候选人甲")
    appointment = Appointment.objects.create(
        supervisor=candidate,
        invited_on=timezone.localdate() - datetime.timedelta(days=3),
        nominated_by=world.users["city_staff"],
    )
    # A past assignment to institution B, already ended: it gives no access today.
    ended = Assignment.objects.create(
        group=group,
        institution=world.institution_b,
        starts_on=timezone.localdate() - datetime.timedelta(days=200),
        ends_on=timezone.localdate() - datetime.timedelta(days=20),
        end_reason="轮换",
    )
    complaint = Complaint.objects.create(
        supervisor=record, received_on=timezone.localdate(), summary="家属反映伙食偏差"
    )
    world.extra.update(
        ended_assignment=ended,
        complaint=complaint,
        supervisor_record=record,
        supervisor_term=record.terms.get(),
        group=group,
        candidate=candidate,
        appointment=appointment,
    )
