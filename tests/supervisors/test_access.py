"""Access to institutions: the assignment, a running term and the accepted undertaking must all
hold on the day of the request."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inspections.selectors import institutions_for
from supervisors import services
from supervisors.models import Term

pytestmark = pytest.mark.django_db


def sees(world):
    return set(institutions_for(world.users["supervisor"]))


def test_an_assignment_gives_the_members_the_institution(assigned):
    world = assigned
    assert sees(world) == {world.institution_a}
    user = world.users["supervisor"]
    for perm in ("view_institution", "raise_issue", "take_part_in_inspection"):
        assert user.has_perm(f"inspections.{perm}", world.institution_a)
    assert not user.has_perm("inspections.view_institution", world.institution_b)


def test_a_supervisor_gets_404_on_an_unassigned_institution(assigned, client_for):
    world = assigned
    client = client_for("supervisor")
    ok = client.get(reverse("supervisors:my_institution", args=[world.institution_a.pk]))
    assert ok.status_code == 200
    response = client.get(reverse("supervisors:my_institution", args=[world.institution_b.pk]))
    assert response.status_code == 404


def test_access_starts_with_the_acceptance_of_the_undertaking(assigned, client_for):
    world = assigned
    term = world.supervisor_term
    term.undertaking_accepted_at = None
    term._change_reason = "测试"
    term.save()
    assert sees(world) == set()
    response = client_for("supervisor").post(reverse("supervisors:undertaking"), {"accept": "on"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.undertaking_accepted_at is not None
    assert sees(world) == {world.institution_a}


def test_access_stops_the_day_after_the_last_day_of_the_term(assigned, time_machine):
    world = assigned
    term: Term = world.supervisor_term
    time_machine.move_to(
        datetime.datetime.combine(term.last_day, datetime.time(23, 59), datetime.UTC)
        - datetime.timedelta(hours=8),
        tick=False,
    )
    assert sees(world) == {world.institution_a}
    # Midnight in Shanghai: the term has reached its end, no nightly job needed.
    time_machine.move_to(
        datetime.datetime.combine(term.last_day, datetime.time(16, 0), datetime.UTC), tick=False
    )
    assert sees(world) == set()


def test_access_stops_on_the_day_of_an_early_end(assigned, time_machine):
    world = assigned
    term = world.supervisor_term
    end = term.starts_on + datetime.timedelta(days=400)
    time_machine.move_to(f"{end - datetime.timedelta(days=1)} 12:00:00+08:00", tick=False)
    services.term_end_early(
        term=term, kind="dismissal", on=end, reason="违反保密义务", actor=world.users["admin"]
    )
    assert sees(world) == {world.institution_a}
    time_machine.move_to(f"{end} 00:00:01+08:00", tick=False)
    assert sees(world) == set()


def test_ending_the_assignment_revokes_the_grant(assigned):
    world = assigned
    assignment = world.group.assignments.get(ends_on__isnull=True)
    services.assignment_end(assignment=assignment, actor=world.users["city_staff"], reason="调整")
    assert sees(world) == set()
    assert not world.users["supervisor"].has_perm(
        "inspections.view_institution", world.institution_a
    )


def test_leaving_the_group_ends_access(assigned):
    world = assigned
    membership = world.group.current_memberships().get(supervisor=world.supervisor_record)
    services.group_remove_member(
        membership=membership, actor=world.users["city_staff"], reason="调出"
    )
    assert sees(world) == set()


def test_a_forming_group_gives_no_access(world):
    world.group.status = "forming"
    world.group._change_reason = "测试"
    world.group.save()
    services.group_assign(
        group=world.group, institution=world.institution_a, actor=world.users["city_staff"]
    )
    assert sees(world) == set()


def test_only_the_supervisor_accepts_their_own_undertaking(world):
    term = world.supervisor_term
    with pytest.raises(PermissionDenied):
        services.undertaking_accept(term=term, actor=world.users["city_staff"])
    with pytest.raises(ValidationError):
        services.undertaking_accept(term=term, actor=world.users["supervisor"])  # already


def test_county_staff_see_the_supervisors_working_in_their_county(assigned):
    from supervisors.selectors import supervisors_for

    world = assigned
    assert world.supervisor_record in supervisors_for(world.users["county_a_staff"])
    assert not supervisors_for(world.users["county_b_staff"]).exists()
    assert not supervisors_for(world.users["station_staff"]).exists()
    assert supervisors_for(world.users["city_staff"]).count() >= 4


def test_the_assignment_grants_every_supervision_permission_and_its_end_revokes_them(assigned):
    world = assigned
    user = world.users["supervisor"]
    perms = ("view_institution", "take_part_in_inspection", "raise_issue", "verify_rectification")
    for perm in perms:
        assert user.has_perm(f"inspections.{perm}", world.institution_a), perm
    assignment = world.group.assignments.get(ends_on__isnull=True)
    services.assignment_end(assignment=assignment, actor=world.users["city_staff"], reason="轮换")
    from django.contrib.auth import get_user_model

    fresh = get_user_model().objects.get(pk=user.pk)  # no cached permissions
    for perm in perms:
        assert not fresh.has_perm(f"inspections.{perm}", world.institution_a), perm
