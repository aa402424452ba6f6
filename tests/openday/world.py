"""The open day in the shared test world.

- ``summary``: the 2026 summary, drafted by city staff, approved by ``approver`` (a second
  city-bureau account) and published; it lists institutions A and B.
- ``entry_a``: institution A's part of it.
- ``draft``: the 2027 summary, a draft by city staff.
- ``visit_day``: institution A's visits on the 2027 open day; ``registration`` one party.
- ``public_complaint``: a complaint about institution A (county A), routed to county A.

The published summary's PDF and posters are stored (in the site's first language) as the worker
leaves them, with a placeholder PDF: their real rendering is tested in ``test_pdfs``.
"""

from openday import files, services
from tests.factories import UserFactory
from tests.file_jobs import ready_file
from tests.files import MINIMAL_PDF


def extend(world) -> None:
    city = world.users["city_staff"]
    approver = UserFactory(username="city_approver", organisation=world.city)
    summary = services.summary_draft(year=2026, actor=city)
    services.summary_approve(summary=summary, actor=approver)
    services.summary_publish(summary=summary, actor=approver)
    ready_file(key=files.summary_key(summary.pk, "zh-hans"), content=MINIMAL_PDF)
    for entry in summary.entries.all():
        ready_file(
            key=files.poster_key(summary.pk, entry.institution_id, "zh-hans"), content=MINIMAL_PDF
        )
    draft = services.summary_draft(year=2027, actor=city)
    visit_day = services.visit_day_set(
        institution=world.institution_a,
        year=2027,
        capacity=40,
        hours="09:00–11:30",
        meeting_point="福利院正门",
        registration_open=True,
        actor=world.users["county_a_staff"],
    )
    registration = services.registration_create(
        visit_day=visit_day, name="王小明", phone="13912345678", party_size=2
    )
    complaint = services.complaint_submit(
        institution=world.institution_a,
        kind="complaint",
        text="探视时发现饭菜偏凉",
        name="赵女士",
        phone="13800001111",
    )
    world.extra.update(
        summary=summary,
        entry_a=summary.entries.get(institution=world.institution_a),
        draft=draft,
        approver=approver,
        visit_day=visit_day,
        registration=registration,
        public_complaint=complaint,
    )
