"""The issue list from a submitted draft to verified closure (DOMAIN §2)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from audit_portal.core.history import MissingChangeReason
from inspections.models import ChecklistTemplate, DeadlineExtension, Issue, Rectification
from inspections.services.checklists import template_revise
from inspections.services.issues import (
    extension_decide,
    extension_request,
    recheck_close,
    rectification_decide,
    rectification_submit,
)
from tests.files import png_upload
from tests.inspections.factories import (
    default_template,
    started_inspection,
    submitted_inspection,
)

pytestmark = pytest.mark.django_db
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def test_a_nonconforming_item_raises_an_issue_with_a_working_day_deadline(world):
    # Raised on Mon 2026-09-28: 10 working days for a serious issue cross National Day week.
    with time_machine.travel(datetime.datetime(2026, 9, 28, 10, tzinfo=SHANGHAI), tick=False):
        inspection, issues = submitted_inspection(
            world.institution_b, world.users["county_b_staff"], failing=1
        )
    (issue,) = issues
    first_item = inspection.template.items.order_by("position").first()
    assert issue.result.item == first_item
    assert issue.area == first_item.area
    assert issue.severity == Issue.Severity.SERIOUS  # the first default item is critical
    assert issue.raised_on == datetime.date(2026, 9, 28)
    # 9/29, 9/30, 10/8, 10/9, 10/10 (make-up Saturday), 10/12 … 10/16: the 10th working day.
    assert issue.deadline == issue.original_deadline == datetime.date(2026, 10, 16)
    assert issue.deadline_official
    assert inspection.status == "submitted"


def test_submitting_needs_a_result_for_every_item(world):
    inspection = started_inspection(world.institution_b, world.users["county_b_staff"])
    from inspections.services.inspections import inspection_submit

    with pytest.raises(ValidationError):
        inspection_submit(inspection=inspection, actor=world.users["county_b_staff"])
    assert not Issue.objects.filter(inspection=inspection).exists()


def test_only_the_team_records_results(world):
    inspection = started_inspection(world.institution_b, world.users["county_b_staff"])
    from inspections.services.inspections import inspection_record

    with pytest.raises(PermissionDenied):
        inspection_record(inspection=inspection, actor=world.users["city_staff"], results={})


def test_the_full_cycle_with_rejection_and_extension(world):
    issue = world.issue_a
    institution_user = world.users["institution_user"]
    staff = world.users["county_a_staff"]
    original = issue.deadline

    # The pending extension is approved: the deadline moves, the original stays on record.
    extension_decide(
        extension=world.extension_a, actor=staff, approve=True, reason="供货周期确需延长"
    )
    issue.refresh_from_db()
    world.extension_a.refresh_from_db()
    assert world.extension_a.decision == DeadlineExtension.Decision.APPROVED
    assert issue.deadline == world.extension_a.requested_deadline
    assert issue.original_deadline == original
    assert issue.extended

    rectification = rectification_submit(
        issue=issue, actor=institution_user, plan="已更换灭火器", uploads=[png_upload()]
    )
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SUBMITTED

    with pytest.raises(ValidationError):
        rectification_decide(rectification=rectification, actor=staff, accept=False)
    rectification_decide(
        rectification=rectification, actor=staff, accept=False, reason="照片未显示压力表"
    )
    issue.refresh_from_db()
    assert issue.status == Issue.Status.OPEN

    second = rectification_submit(
        issue=issue, actor=institution_user, plan="补充压力表照片", uploads=[png_upload()]
    )
    rectification_decide(rectification=second, actor=staff, accept=True)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.CLOSED
    assert issue.closed_on is not None and issue.closed_by == staff
    assert issue.closed_on_time()
    assert list(issue.rectifications.values_list("decision", flat=True)) == [
        "rejected",
        "accepted",
    ]
    # Every step is in the history, with who and why.
    reasons = list(issue.history.values_list("history_change_reason", flat=True))
    assert "照片未显示压力表" in reasons and "供货周期确需延长" in reasons


def test_a_refused_extension_leaves_the_deadline(world):
    issue = world.issue_a
    extension_decide(
        extension=world.extension_a,
        actor=world.users["county_a_staff"],
        approve=False,
        reason="期限充足",
    )
    issue.refresh_from_db()
    world.extension_a.refresh_from_db()
    assert issue.deadline == issue.original_deadline
    assert world.extension_a.decision == DeadlineExtension.Decision.REFUSED


def test_an_extension_needs_a_reason_and_a_later_date(world):
    issue = world.issue_a2
    user = world.users["institution_user"]
    with pytest.raises(ValidationError):
        extension_request(
            issue=issue, actor=user, requested_deadline=issue.deadline, reason="来不及"
        )
    with pytest.raises(ValidationError):
        extension_request(
            issue=issue,
            actor=user,
            requested_deadline=issue.deadline + datetime.timedelta(days=3),
            reason=" ",
        )


def test_another_institution_cannot_submit_a_rectification(world):
    with pytest.raises(PermissionDenied):
        rectification_submit(
            issue=world.issue_b,
            actor=world.users["institution_user"],
            plan="x",
            uploads=[png_upload()],
        )


def test_staff_outside_the_county_cannot_verify(world):
    with pytest.raises(PermissionDenied):
        rectification_decide(
            rectification=world.rectification_a,
            actor=world.users["county_b_staff"],
            accept=True,
        )
    world.rectification_a.refresh_from_db()
    assert world.rectification_a.decision == Rectification.Decision.PENDING


def test_a_recheck_closes_several_issues(world):
    staff = world.users["county_a_staff"]
    recheck = started_inspection(world.institution_a, staff, kind="recheck")
    closed = recheck_close(
        recheck=recheck, issues=[world.issue_a, world.issue_a2], actor=staff, note="复查已整改"
    )
    assert {issue.pk for issue in closed} == {world.issue_a.pk, world.issue_a2.pk}
    assert set(Issue.objects.filter(closed_in=recheck).values_list("status", flat=True)) == {
        "closed"
    }
    world.rectification_a.refresh_from_db()
    assert world.rectification_a.decision == Rectification.Decision.ACCEPTED


def test_an_issue_is_never_changed_without_a_reason(world):
    issue = world.issue_a
    issue.deadline = issue.deadline + datetime.timedelta(days=30)
    with pytest.raises(MissingChangeReason):
        issue.save()


def test_revising_a_template_in_use_creates_a_new_version(world):
    template = default_template()  # used by the world's inspections
    items = [
        {"area": "fire_safety", "text": "灭火器压力正常", "guidance": "", "critical": True},
    ]
    revised = template_revise(
        template=template,
        name=template.name,
        description="",
        items=items,
        actor=world.users["city_staff"],
        reason="增加消防检查项",
    )
    assert revised.pk != template.pk and revised.version == template.version + 1
    template.refresh_from_db()
    assert template.status == ChecklistTemplate.Status.RETIRED
    assert template.items.count() > 1  # the old version keeps its items
    assert world.inspection_a.template_id == template.pk
    assert list(revised.items.values_list("text", flat=True)) == ["灭火器压力正常"]


def test_revising_an_unused_template_edits_it_in_place(world):
    from inspections.services.checklists import template_create

    template = template_create(
        code="winter",
        name="寒冬专项",
        items=[{"area": "winter", "text": "取暖设施正常"}],
        actor=world.users["city_staff"],
    )
    revised = template_revise(
        template=template,
        name="寒冬送温暖专项",
        description="",
        items=[{"area": "winter", "text": "取暖设施正常"}, {"area": "winter", "text": "线路安全"}],
        actor=world.users["city_staff"],
        reason="补充",
    )
    assert revised.pk == template.pk and revised.version == 1
    assert revised.items.count() == 2


def test_deadlines_run_from_the_day_the_institution_is_told(world):
    from inspections.services.inspections import inspection_open_comments

    staff = world.users["county_b_staff"]
    with time_machine.travel(datetime.datetime(2026, 9, 25, 10, tzinfo=SHANGHAI), tick=False):
        inspection, (issue,) = submitted_inspection(world.institution_b, staff, failing=1)
    with time_machine.travel(datetime.datetime(2026, 9, 28, 10, tzinfo=SHANGHAI), tick=False):
        inspection_open_comments(inspection=inspection, actor=staff)
    issue.refresh_from_db()
    # 10 working days from Mon 28 September, across National Day week.
    assert issue.deadline == issue.original_deadline == datetime.date(2026, 10, 16)
    assert issue.raised_on == datetime.date(2026, 9, 25)
