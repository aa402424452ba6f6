"""The admin writes the scheme's records through the services, as the pages do: an assignment
made there grants the group's members their object permissions, a change leaves a history row
with the administrator and the reason, and a refusal is shown with nothing saved."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from guardian.models import UserObjectPermission

from inspections.models import Institution
from inspections.selectors import institutions_for
from supervisors import services
from supervisors.models import (
    Appointment,
    Assignment,
    Complaint,
    Event,
    SupervisionGroup,
    Supervisor,
)
from tests.supervisors.factories import make_id_number

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def supervision_grants() -> set[tuple]:
    content_type = ContentType.objects.get_for_model(Institution)
    return set(
        UserObjectPermission.objects.filter(content_type=content_type).values_list(
            "user_id", "permission__codename", "object_pk"
        )
    )


def grants_after_group_assign(world) -> set[tuple]:
    """The grants ``group_assign`` leaves for the world's group on institution A (rolled back)."""
    try:
        with transaction.atomic():
            services.group_assign(
                group=world.group, institution=world.institution_a, actor=world.users["admin"]
            )
            granted = supervision_grants()
            raise _Rollback
    except _Rollback:
        return granted


def as_displayed(page, **changes) -> dict:
    """The POST data of an admin form page as shown (its inlines' too), with ``changes``."""
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            field = form[name]
            value = field.value()
            if isinstance(value, datetime.date):
                value = value.isoformat()
            elif isinstance(value, bool):
                value = "on" if value else ""
            data[field.html_name] = "" if value is None else value
    return {**data, **changes}


def errors_shown(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level_tag == "error"]


def test_an_assignment_added_in_the_admin_grants_as_group_assign_does(world, client_for):
    expected = grants_after_group_assign(world)
    supervisor = world.users["supervisor"]
    assert {
        (user, codename) for user, codename, pk in expected if pk == str(world.institution_a.pk)
    } >= {(supervisor.pk, codename) for codename in services.SUPERVISION_PERMISSIONS}
    assert not institutions_for(supervisor).exists()

    response = client_for("admin").post(
        reverse("admin:supervisors_assignment_add"),
        {
            "group": world.group.pk,
            "institution": world.institution_a.pk,
            "starts_on": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 302
    assert supervision_grants() == expected
    assert list(institutions_for(supervisor)) == [world.institution_a]
    assignment = Assignment.objects.get(group=world.group, institution=world.institution_a)
    assert assignment.history.get().history_user == world.users["admin"]


def test_ending_an_assignment_in_the_admin_withdraws_the_grants(assigned, client_for):
    world = assigned
    assignment = Assignment.objects.get(
        group=world.group, institution=world.institution_a, ends_on__isnull=True
    )
    response = client_for("admin").post(
        reverse("admin:supervisors_assignment_change", args=[assignment.pk]),
        {"ends_on": timezone.localdate().isoformat(), "change_reason": "轮换到其他机构"},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ends_on == timezone.localdate()
    assert assignment.end_reason == "轮换到其他机构"
    latest = assignment.history.latest()
    assert (latest.history_change_reason, latest.history_user) == (
        "轮换到其他机构",
        world.users["admin"],
    )
    assert not institutions_for(world.users["supervisor"]).exists()


def test_ending_an_ended_assignment_is_refused_and_nothing_saved(world, client_for):
    ended = world.ended_assignment
    versions = ended.history.count()
    logged = LogEntry.objects.count()
    response = client_for("admin").post(
        reverse("admin:supervisors_assignment_change", args=[ended.pk]),
        {"ends_on": timezone.localdate().isoformat(), "change_reason": "再结束一次"},
    )
    assert response.status_code == 200
    assert len(errors_shown(response)) == 1
    assert response.context["adminform"].form.non_field_errors()
    ended.refresh_from_db()
    assert ended.ends_on == timezone.localdate() - datetime.timedelta(days=20)
    assert ended.end_reason == "轮换"
    assert ended.history.count() == versions
    assert LogEntry.objects.count() == logged


def test_a_term_ended_early_in_the_admin_goes_through_its_service(world, client_for):
    term = world.supervisor_term
    response = client_for("admin").post(
        reverse("admin:supervisors_term_change", args=[term.pk]),
        {
            "terminated_on": timezone.localdate().isoformat(),
            "end_kind": "resignation",
            "change_reason": "本人书面辞去监督员职务",
            # Read-only here: ignored if posted.
            "last_day": "2099-01-01",
        },
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert (term.terminated_on, term.end_kind, term.end_reason) == (
        timezone.localdate(),
        "resignation",
        "本人书面辞去监督员职务",
    )
    assert term.last_day != datetime.date(2099, 1, 1)
    latest = term.history.latest()
    assert (latest.history_change_reason, latest.history_user) == (
        "本人书面辞去监督员职务",
        world.users["admin"],
    )


def test_a_term_end_the_service_refuses_is_shown_and_nothing_saved(world, client_for):
    term = world.supervisor_term
    versions = term.history.count()
    response = client_for("admin").post(
        reverse("admin:supervisors_term_change", args=[term.pk]),
        {
            # Before the term began: term_end_early refuses it.
            "terminated_on": (term.starts_on - datetime.timedelta(days=1)).isoformat(),
            "end_kind": "dismissal",
            "change_reason": "测试",
        },
    )
    assert response.status_code == 200
    assert len(errors_shown(response)) == 1
    form = response.context["adminform"].form
    assert form.non_field_errors()
    assert form["change_reason"].value() == "测试"  # the form comes back as posted
    term.refresh_from_db()
    assert term.terminated_on is None and term.end_reason == ""
    assert term.history.count() == versions


def test_a_term_end_needs_its_day_and_kind(world, client_for):
    term = world.supervisor_term
    response = client_for("admin").post(
        reverse("admin:supervisors_term_change", args=[term.pk]), {"change_reason": "测试"}
    )
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"terminated_on", "end_kind"}
    term.refresh_from_db()
    assert term.terminated_on is None


def test_a_complaint_handled_in_the_admin_goes_through_its_service(world, client_for):
    complaint = world.complaint
    response = client_for("admin").post(
        reverse("admin:supervisors_complaint_change", args=[complaint.pk]),
        {
            "status": Complaint.Status.HANDLING,
            "handling_note": "已转该机构核查",
            "change_reason": "开始办理",
            "summary": "改写的内容",  # read-only: ignored
        },
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.handling_note, complaint.summary) == (
        Complaint.Status.HANDLING,
        "已转该机构核查",
        "家属反映伙食偏差",
    )
    latest = complaint.history.latest()
    assert (latest.history_change_reason, latest.history_user) == ("开始办理", world.users["admin"])


def test_a_group_added_and_renamed_in_the_admin_goes_through_its_services(world, client_for):
    client = client_for("admin")
    members = {"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}
    added = client.post(
        reverse("admin:supervisors_supervisiongroup_add"), {"name": "第九监督小组", **members}
    )
    assert added.status_code == 302
    group = SupervisionGroup.objects.get(name="第九监督小组")
    assert group.history.get().history_user == world.users["admin"]
    renamed = client.post(
        reverse("admin:supervisors_supervisiongroup_change", args=[group.pk]),
        {"name": "第十监督小组", "status": "active", "change_reason": "更正笔误", **members},
    )
    assert renamed.status_code == 302
    group.refresh_from_db()
    assert (group.name, group.status) == ("第十监督小组", "forming")
    assert group.history.latest().history_change_reason == "更正笔误"


def test_events_and_suggestions_are_written_through_their_services(world, client_for):
    client = client_for("admin")
    record = world.supervisor_record
    added = client.post(
        reverse("admin:supervisors_event_add"),
        {
            "kind": "training",
            "title": "业务培训",
            "held_on": "2026-05-01",
            "place": "市民政局",
            "attendees": [record.pk],
        },
    )
    assert added.status_code == 302
    event = Event.objects.get(title="业务培训")
    assert list(event.attendees.all()) == [record]
    changed = client.post(
        reverse("admin:supervisors_event_change", args=[event.pk]),
        {
            "kind": "training",
            "title": "业务培训（第二期）",
            "held_on": "2026-05-01",
            "place": "市民政局",
            "attendees": [],
            "change_reason": "更正名称和签到",
        },
    )
    assert changed.status_code == 302
    event.refresh_from_db()
    assert event.title == "业务培训（第二期）" and not event.attendees.exists()
    assert {h.history_user for h in event.history.all()} == {world.users["admin"]}
    assert event.history.latest().history_change_reason == "更正名称和签到"

    suggestion = services.suggestion_make(
        supervisor=record,
        text="建议增加夜间巡查",
        institution=None,
        actor=world.users["supervisor"],
    )
    responded = client.post(
        reverse("admin:supervisors_suggestion_change", args=[suggestion.pk]),
        {"response": "已采纳", "change_reason": "答复监督员"},
    )
    assert responded.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.response == "已采纳"
    latest = suggestion.history.latest()
    assert (latest.history_change_reason, latest.history_user) == (
        "答复监督员",
        world.users["admin"],
    )


def test_a_group_with_members_is_renamed_without_touching_them(world, client_for):
    group = world.group
    url = reverse("admin:supervisors_supervisiongroup_change", args=[group.pk])
    client = client_for("admin")
    data = as_displayed(client.get(url), name="江海市第一监督小组", change_reason="统一命名")
    assert data["memberships-INITIAL_FORMS"] == 3
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    group.refresh_from_db()
    assert group.name == "江海市第一监督小组"
    assert group.current_memberships().count() == 3
    assert group.history.latest().history_change_reason == "统一命名"


def test_a_supervisor_edited_in_the_admin_goes_through_supervisor_update(world, client_for):
    record = world.supervisor_record
    url = reverse("admin:supervisors_supervisor_change", args=[record.pk])
    client = client_for("admin")
    response = client.post(
        url, as_displayed(client.get(url), phone="13900000001", change_reason="电话变更")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    record.refresh_from_db()
    assert record.phone == "13900000001"
    latest = record.history.latest()
    assert (latest.history_change_reason, latest.history_user) == ("电话变更", world.users["admin"])


def test_a_supervisor_added_in_the_admin_is_created_by_the_service(world, client_for):
    response = client_for("admin").post(
        reverse("admin:supervisors_supervisor_add"),
        {
            "full_name": "王新",
            "gender": "female",
            "birth_date": "1980-01-01",
            "id_number": make_id_number(datetime.date(1980, 1, 1), 7),
            "employer": "江海大学",
            "phone": "13800000002",
            # Set when the record is made, not typed in: ignored if posted.
            "created_at_0": "2000-01-01",
            "created_at_1": "08:00:00",
        },
    )
    assert response.status_code == 302
    record = Supervisor.objects.get(full_name="王新")
    assert record.created_at.year == timezone.now().year
    assert record.history.get().history_user == world.users["admin"]


@pytest.mark.parametrize("model", ["supervisor", "supervisiongroup", "assignment", "event"])
def test_records_the_admin_may_add_have_an_add_form(world, client_for, model):
    page = client_for("admin").get(reverse(f"admin:supervisors_{model}_add"))
    assert page.status_code == 200


@pytest.mark.parametrize("model", ["term", "complaint", "suggestion", "appointment"])
def test_records_made_on_the_pages_cannot_be_added_in_the_admin(world, client_for, model):
    assert client_for("admin").get(reverse(f"admin:supervisors_{model}_add")).status_code == 403


def test_the_appointment_procedure_is_read_only_in_the_admin(world, client_for):
    appointment = world.appointment
    url = reverse("admin:supervisors_appointment_change", args=[appointment.pk])
    client = client_for("admin")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "invited_on": "2020-01-01",
            "stage": Appointment.Stage.FILED,
            "change_reason": "跳过步骤",
        },
    )
    assert response.status_code == 403
    appointment.refresh_from_db()
    assert appointment.stage == Appointment.Stage.NOMINATED
    assert appointment.invited_on != datetime.date(2020, 1, 1)


def test_a_past_version_cannot_be_restored_in_the_admin(world, client_for):
    complaint = world.complaint
    services.complaint_update(
        complaint=complaint, status="closed", note="已办结", actor=world.users["city_staff"]
    )
    first = complaint.history.earliest()
    response = client_for("admin").post(
        reverse("admin:supervisors_complaint_simple_history", args=[complaint.pk, first.pk]),
        {"status": "forwarded", "handling_note": "恢复", "change_reason": "恢复旧版本"},
    )
    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED
