"""The supervisor scheme's policies (``supervisors/policies.py``): each action allowed, refused for
who the user is (a 403) and refused for the object's state (the reason); the services ask them,
and the pages offer an action only when it is allowed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from supervisors import services
from supervisors.models import (
    Appointment,
    GroupMembership,
    SupervisionGroup,
    Term,
    VettingFinding,
)
from supervisors.policies import (
    appointment_policy,
    assignment_policy,
    complaint_policy,
    event_policy,
    group_policy,
    membership_policy,
    suggestion_policy,
    supervisor_policy,
    term_policy,
)
from tests.supervisors.factories import (
    GroupFactory,
    SupervisorFactory,
    TermFactory,
    full_group,
    member,
)

pytestmark = pytest.mark.django_db

STAFF_WITHOUT_RIGHTS = ("county_a_staff", "station_staff", "supervisor", "institution_user")


def refusal(policy, action, user, obj):
    """``None`` when allowed, ``"role"`` for who the user is, else the state's reason."""
    found = policy.check(action, user, obj)
    if found is None:
        return None
    return "role" if found.role else found.message


def stage_message(appointment, needed):
    return _(
        "This step cannot be taken now: the procedure is at “%(current)s” and this step "
        "follows “%(needed)s”. Steps go in order: nomination, vetting, decision by the "
        "joint meeting, filing."
    ) % {"current": appointment.get_stage_display(), "needed": Appointment.Stage(needed).label}


def vetted(world):
    appointment = world.appointment
    findings = dict.fromkeys(VettingFinding.Condition, (True, ""))
    return services.appointment_vet(
        appointment=appointment, findings=findings, actor=world.users["city_staff"]
    )


def page(client, name, pk) -> str:
    response = client.get(reverse(f"supervisors:{name}", args=[pk]))
    assert response.status_code == 200
    return response.content.decode()


# The appointment procedure ---------------------------------------------------------------------


def test_the_steps_are_for_the_joint_meeting_office_in_order(world):
    appointment = world.appointment
    for persona in ("city_staff", "admin"):
        user = world.users[persona]
        assert refusal(appointment_policy, "vet", user, appointment) is None
        assert refusal(appointment_policy, "turn_down", user, appointment) is None
        assert refusal(appointment_policy, "decide", user, appointment) == stage_message(
            appointment, Appointment.Stage.VETTED
        )
        assert refusal(appointment_policy, "file", user, appointment) == stage_message(
            appointment, Appointment.Stage.DECIDED
        )
    for persona in STAFF_WITHOUT_RIGHTS:
        for action in ("vet", "decide", "file", "turn_down", "override_term_limit"):
            assert refusal(appointment_policy, action, world.users[persona], appointment) == "role"


def test_after_vetting_the_decision_is_next(world):
    appointment = vetted(world)
    city = world.users["city_staff"]
    assert appointment_policy.allowed(city, appointment) == {"decide", "turn_down"}
    assert refusal(appointment_policy, "vet", city, appointment) == stage_message(
        appointment, Appointment.Stage.NOMINATED
    )


def test_only_an_administrator_overrides_the_term_limit_of_an_open_procedure(world):
    appointment = world.appointment
    assert (
        refusal(appointment_policy, "override_term_limit", world.users["admin"], appointment)
        is None
    )
    assert (
        refusal(appointment_policy, "override_term_limit", world.users["city_staff"], appointment)
        == "role"
    )
    services.appointment_turn_down(
        appointment=appointment, reason="婉拒", actor=world.users["city_staff"]
    )
    closed = _("The procedure is closed.")
    assert (
        refusal(appointment_policy, "override_term_limit", world.users["admin"], appointment)
        == closed
    )
    assert refusal(appointment_policy, "turn_down", world.users["admin"], appointment) == closed
    assert appointment_policy.allowed(world.users["admin"], appointment) == frozenset()


def test_the_services_refuse_what_the_policy_refuses(world):
    appointment = world.appointment
    with pytest.raises(PermissionDenied):
        services.appointment_turn_down(
            appointment=appointment, reason="x", actor=world.users["county_a_staff"]
        )
    with pytest.raises(ValidationError) as error:
        services.appointment_decide(
            appointment=appointment,
            meeting_date=timezone.localdate(),
            minutes_reference="会议纪要1号",
            actor=world.users["city_staff"],
        )
    assert error.value.messages == [stage_message(appointment, Appointment.Stage.VETTED)]
    assert error.value.code == "stage_order"
    with pytest.raises(PermissionDenied):
        services.appointment_override_term_limit(
            appointment=appointment, reason="x", actor=world.users["city_staff"]
        )


def test_a_second_procedure_in_progress_is_refused_by_the_nomination(world):
    city = world.users["city_staff"]
    assert appointment_policy.allows_nominate_for(city)
    assert not appointment_policy.allows_nominate_for(world.users["county_a_staff"])
    found = appointment_policy.nominate_for(city, world.candidate)
    assert found.message == _("%(name)s already has a procedure in progress.") % {
        "name": world.candidate
    }
    with pytest.raises(ValidationError) as error:
        services.appointment_nominate(
            supervisor=world.candidate, invited_on=timezone.localdate(), actor=city
        )
    assert error.value.code == "in_progress"
    assert appointment_policy.nomination_actions(city) == {"nominate"}
    assert appointment_policy.nomination_actions(world.users["admin"]) == {
        "nominate",
        "override_term_limit",
    }


def test_the_procedure_page_offers_only_the_allowed_steps(world, client_for):
    appointment = world.appointment

    def url(name):
        return reverse(f"supervisors:appointment_{name}", args=[appointment.pk])

    city = page(client_for("city_staff"), "appointment_detail", appointment.pk)
    assert url("vet") in city and url("turn_down") in city
    assert url("decide") not in city and url("file") not in city
    assert url("override") not in city
    admin = page(client_for("admin"), "appointment_detail", appointment.pk)
    assert url("override") in admin

    vetted(world)
    city = page(client_for("city_staff"), "appointment_detail", appointment.pk)
    assert url("decide") in city and url("vet") not in city

    services.appointment_turn_down(
        appointment=appointment, reason="婉拒", actor=world.users["city_staff"]
    )
    admin = page(client_for("admin"), "appointment_detail", appointment.pk)
    for name in ("vet", "decide", "file", "turn_down", "override"):
        assert url(name) not in admin


def test_a_step_the_role_may_not_take_is_403_and_a_step_out_of_order_a_message(world, client_for):
    appointment = world.appointment
    decide = reverse("supervisors:appointment_decide", args=[appointment.pk])
    assert client_for("county_a_staff").post(decide).status_code == 403
    override = reverse("supervisors:appointment_override", args=[appointment.pk])
    assert client_for("city_staff").post(override, {"reason": "x"}).status_code == 403
    response = client_for("city_staff").post(
        decide,
        {"meeting_date": timezone.localdate(), "minutes_reference": "纪要"},
        follow=True,
    )
    assert stage_message(appointment, Appointment.Stage.VETTED) in [
        str(m) for m in response.context["messages"]
    ]


def test_the_pipeline_offers_the_nomination_to_who_may_nominate(assigned, client_for):
    world = assigned
    nominate = reverse("supervisors:appointment_nominate")
    pipeline = reverse("supervisors:appointment_list")
    assert nominate in client_for("city_staff").get(pipeline).content.decode()
    record = page(client_for("city_staff"), "supervisor_detail", world.candidate.pk)
    assert nominate in record
    record = page(client_for("county_a_staff"), "supervisor_detail", world.supervisor_record.pk)
    assert nominate not in record


# Terms -----------------------------------------------------------------------------------------


def test_a_term_is_ended_early_once_by_the_city_bureau(world):
    term = world.supervisor_term
    assert refusal(term_policy, "end_early", world.users["city_staff"], term) is None
    assert refusal(term_policy, "end_early", world.users["county_a_staff"], term) == "role"
    assert refusal(term_policy, "end_early", world.users["supervisor"], term) == "role"
    services.term_end_early(
        term=term,
        kind=Term.EndKind.RESIGNATION,
        on=timezone.localdate(),
        reason="辞职",
        actor=world.users["city_staff"],
    )
    assert refusal(term_policy, "end_early", world.users["city_staff"], term) == _(
        "This term has already ended early."
    )


def test_the_undertaking_is_the_supervisors_own_once_while_the_term_runs(world):
    supervisor = world.users["supervisor"]
    term = world.supervisor_term
    assert refusal(term_policy, "accept_undertaking", supervisor, term) == _(
        "You have already accepted the undertaking for this term."
    )
    term.undertaking_accepted_at = None
    assert refusal(term_policy, "accept_undertaking", supervisor, term) is None
    for persona in ("city_staff", "admin", "county_a_staff"):
        assert refusal(term_policy, "accept_undertaking", world.users[persona], term) == "role"
    with pytest.raises(PermissionDenied):
        services.undertaking_accept(term=term, actor=world.users["city_staff"])
    ended = TermFactory(
        supervisor=world.supervisor_record,
        starts_on=timezone.localdate() - datetime.timedelta(days=2000),
        last_day=timezone.localdate() - datetime.timedelta(days=900),
        undertaking_accepted_at=None,
    )
    assert refusal(term_policy, "accept_undertaking", supervisor, ended) == _(
        "This term has ended."
    )


def card(html: str) -> str:
    return html.split('<section class="card">', 1)[1].split("</section>", 1)[0]


def test_the_undertaking_page_offers_the_form_only_while_it_may_be_accepted(world, client_for):
    term = world.supervisor_term
    url = reverse("supervisors:undertaking")
    html = client_for("supervisor").get(url).content.decode()
    assert 'type="submit"' not in card(html)
    Term.objects.filter(pk=term.pk).update(undertaking_accepted_at=None)
    html = client_for("supervisor").get(url).content.decode()
    assert 'type="submit"' in card(html)


def test_the_letter_and_the_early_end_are_offered_to_who_may(assigned, client_for):
    world = assigned
    term = world.supervisor_term
    assert refusal(term_policy, "letter", world.users["city_staff"], term) is None
    assert refusal(term_policy, "letter", world.users["county_a_staff"], term) == "role"
    end = reverse("supervisors:term_end", args=[term.pk])
    assert end in page(client_for("city_staff"), "supervisor_detail", world.supervisor_record.pk)
    county = page(client_for("county_a_staff"), "supervisor_detail", world.supervisor_record.pk)
    assert end not in county
    assert client_for("county_a_staff").post(end).status_code == 403


# Supervision groups ----------------------------------------------------------------------------


def forming_group(members: int) -> SupervisionGroup:
    group = GroupFactory(status=SupervisionGroup.Status.FORMING)
    roles = [GroupMembership.Role.LEADER, GroupMembership.Role.DEPUTY]
    for index in range(members):
        supervisor = SupervisorFactory()
        TermFactory(supervisor=supervisor)
        member(group, supervisor, roles[index] if index < 2 else GroupMembership.Role.MEMBER)
    return group


def test_changing_a_group_is_for_the_city_bureau(world):
    group = world.group
    for persona in ("city_staff", "admin"):
        assert group_policy.allowed(world.users[persona], group) == {
            "rename",
            "add_member",
            "assign",
        }
    for persona in STAFF_WITHOUT_RIGHTS:
        for action in group_policy.actions:
            assert refusal(group_policy, action, world.users[persona], group) == "role"
    assert group_policy.allows_create_for(world.users["city_staff"])
    assert not group_policy.allows_create_for(world.users["county_a_staff"])


def test_an_active_group_is_not_activated_again_and_a_dissolved_one_takes_no_member(world):
    city = world.users["city_staff"]
    assert refusal(group_policy, "activate", city, world.group) == _("The group is already active.")
    dissolved = full_group(SupervisorFactory(), status=SupervisionGroup.Status.DISSOLVED)
    assert refusal(group_policy, "add_member", city, dissolved) == _("The group is dissolved.")


def test_a_group_is_activated_once_its_composition_meets_the_rules(world):
    city = world.users["city_staff"]
    small = forming_group(2)
    problems = small.composition_problems(timezone.localdate())
    assert refusal(group_policy, "activate", city, small) == problems[0]
    assert group_policy.activation_waits(city, small)
    assert not group_policy.activation_waits(world.users["county_a_staff"], small)
    with pytest.raises(ValidationError) as error:
        services.group_activate(group=small, actor=city)
    assert error.value.messages == [str(p) for p in problems]
    ready = forming_group(3)
    assert refusal(group_policy, "activate", city, ready) is None
    assert not group_policy.activation_waits(city, ready)
    with pytest.raises(PermissionDenied):
        services.group_activate(group=ready, actor=world.users["county_a_staff"])


def test_a_member_leaves_and_an_assignment_ends_once(world):
    city = world.users["city_staff"]
    membership = world.group.current_memberships().first()
    assert refusal(membership_policy, "remove", city, membership) is None
    assert refusal(membership_policy, "remove", world.users["county_a_staff"], membership) == (
        "role"
    )
    membership.left_on = timezone.localdate()
    assert refusal(membership_policy, "remove", city, membership) == _(
        "This member has already left the group."
    )
    ended = world.ended_assignment
    assert refusal(assignment_policy, "end", city, ended) == _("This assignment has already ended.")
    with pytest.raises(ValidationError):
        services.assignment_end(assignment=ended, actor=city, reason="x")
    running = services.group_assign(group=world.group, institution=world.institution_a, actor=city)
    assert refusal(assignment_policy, "end", city, running) is None
    assert refusal(assignment_policy, "end", world.users["county_a_staff"], running) == "role"


def test_the_group_page_offers_only_the_allowed_actions(assigned, client_for):
    world = assigned
    group = world.group
    running = group.assignments.get(ends_on__isnull=True)
    add = reverse("supervisors:group_member_add", args=[group.pk])
    activate = reverse("supervisors:group_activate", args=[group.pk])
    assign = reverse("supervisors:group_assign", args=[group.pk])
    end_running = reverse("supervisors:assignment_end", args=[running.pk])
    end_ended = reverse("supervisors:assignment_end", args=[world.ended_assignment.pk])
    remove = reverse(
        "supervisors:group_member_remove", args=[group.current_memberships().first().pk]
    )

    html = page(client_for("city_staff"), "group_detail", group.pk)
    for url in (add, assign, end_running, remove):
        assert url in html
    assert activate not in html  # already active
    assert end_ended not in html  # already ended

    html = page(client_for("county_a_staff"), "group_detail", group.pk)
    for url in (add, assign, end_running, remove, activate):
        assert url not in html

    small = forming_group(2)
    html = page(client_for("city_staff"), "group_detail", small.pk)
    activate_small = reverse("supervisors:group_activate", args=[small.pk])
    assert activate_small in html
    assert "disabled" in html.split(activate_small, 1)[1].split("</form>", 1)[0]
    ready = forming_group(3)
    html = page(client_for("city_staff"), "group_detail", ready.pk)
    activate_ready = reverse("supervisors:group_activate", args=[ready.pk])
    assert "disabled" not in html.split(activate_ready, 1)[1].split("</form>", 1)[0]


def test_a_group_action_the_role_may_not_take_is_403(assigned, client_for):
    world = assigned
    group = world.group
    county = client_for("county_a_staff")
    for name in ("group_member_add", "group_activate", "group_assign"):
        assert county.post(reverse(f"supervisors:{name}", args=[group.pk])).status_code == 403
    end = reverse("supervisors:assignment_end", args=[world.ended_assignment.pk])
    assert county.post(end, {"reason": "x"}).status_code == 403


def test_the_group_list_offers_a_new_group_to_who_may_create_one(world, client_for):
    url = reverse("supervisors:group_list")
    assert "<h2>" in client_for("city_staff").get(url).content.decode().split("</table>", 1)[1]
    county = client_for("county_a_staff")
    assert "<h2>" not in county.get(url).content.decode().split("</table>", 1)[1]
    assert county.post(url, {"name": "新小组"}).status_code == 403


# Supervisors, complaints, suggestions, events --------------------------------------------------


def test_the_records_actions(assigned, client_for):
    world = assigned
    record = world.supervisor_record
    city, county = world.users["city_staff"], world.users["county_a_staff"]
    assert supervisor_policy.allowed(city, record) == {"change", "reveal_id_number", "nominate"}
    assert supervisor_policy.allowed(county, record) == frozenset()
    assert supervisor_policy.allows_create_for(city)
    assert not supervisor_policy.allows_create_for(county)
    reveal = reverse("supervisors:supervisor_id_number", args=[record.pk])
    assert reveal in page(client_for("city_staff"), "supervisor_detail", record.pk)
    assert reveal not in page(client_for("county_a_staff"), "supervisor_detail", record.pk)
    assert client_for("county_a_staff").post(reveal).status_code == 403
    roster = reverse("supervisors:supervisor_list")
    create, event = reverse("supervisors:supervisor_create"), reverse("supervisors:event_create")
    html = client_for("city_staff").get(roster).content.decode()
    assert create in html and event in html
    html = client_for("county_a_staff").get(roster).content.decode()
    assert create not in html and event not in html


def test_activity_is_handled_by_civil_affairs_and_made_by_the_supervisor_themself(world):
    city, county = world.users["city_staff"], world.users["county_a_staff"]
    supervisor = world.users["supervisor"]
    complaint = world.complaint
    assert refusal(complaint_policy, "update", city, complaint) is None
    assert refusal(complaint_policy, "update", county, complaint) == "role"
    assert complaint_policy.forward_for(supervisor, world.supervisor_record) is None
    assert complaint_policy.forward_for(city, world.supervisor_record).role
    assert suggestion_policy.make_for(supervisor, world.supervisor_record) is None
    assert suggestion_policy.make_for(city, world.supervisor_record).role
    suggestion = services.suggestion_make(
        supervisor=world.supervisor_record, text="建议", institution=None, actor=supervisor
    )
    assert refusal(suggestion_policy, "respond", city, suggestion) is None
    assert refusal(suggestion_policy, "respond", county, suggestion) == "role"
    assert event_policy.allows_record_for(city)
    assert not event_policy.allows_record_for(county)
    with pytest.raises(PermissionDenied):
        services.complaint_forward(
            supervisor=world.supervisor_record,
            received_on=timezone.localdate(),
            summary="x",
            institution=None,
            actor=city,
        )


def test_the_complaint_list_offers_the_update_to_who_may_handle(world, client_for):
    url = reverse("supervisors:complaint_update", args=[world.complaint.pk])
    html = client_for("city_staff").get(reverse("supervisors:complaint_list")).content.decode()
    assert url in html
    assert client_for("county_a_staff").post(url).status_code == 403
