"""Institution status changes (issue 3): each keeps who, when and why; an institution is
approved only while it meets every condition, and the refusal names the failing ones."""

import pytest
from django.core.exceptions import ValidationError

from inspections.models import DocumentKind, Institution
from inspections.services import registry as services
from tests.inspections.factories import InstitutionFactory, make_eligible

pytestmark = pytest.mark.django_db


def candidate(world, **fields):
    return InstitutionFactory(county=world.county_a, status=Institution.Status.CANDIDATE, **fields)


def test_an_eligible_candidate_is_approved_with_user_time_and_reason(world):
    institution = make_eligible(candidate(world))
    staff = world.users["county_a_staff"]
    services.institution_change_status(
        institution=institution, status="approved", actor=staff, reason="资质审核通过"
    )
    institution.refresh_from_db()
    assert institution.status == Institution.Status.APPROVED
    assert institution.status_changed_at is not None
    latest = institution.history.order_by("-history_id").first()
    assert (latest.status, latest.history_user, latest.history_change_reason) == (
        "approved",
        staff,
        "资质审核通过",
    )


def test_approving_an_ineligible_candidate_is_refused_naming_what_fails(world):
    institution = make_eligible(candidate(world), skip={DocumentKind.FOOD_LICENCE})
    with pytest.raises(ValidationError) as error:
        services.institution_change_status(
            institution=institution,
            status="approved",
            actor=world.users["county_a_staff"],
            reason="资质审核通过",
        )
    message = " ".join(error.value.messages)
    assert "食品经营许可证" in message and "缺失" in message
    institution.refresh_from_db()
    assert institution.status == Institution.Status.CANDIDATE
    assert institution.history.count() == 1


def test_a_change_to_the_same_status_is_refused(world):
    with pytest.raises(ValidationError):
        services.institution_change_status(
            institution=world.institution_a,
            status=world.institution_a.status,
            actor=world.users["county_a_staff"],
            reason="重复",
        )


def test_a_status_page_refusal_is_shown_and_changes_nothing(world, client_for):
    from django.urls import reverse

    institution = make_eligible(candidate(world), skip={DocumentKind.FIRE_SAFETY})
    response = client_for("county_a_staff").post(
        reverse("inspections:institution_status", args=[institution.pk]),
        {"status": "approved", "reason": "资质审核通过"},
        follow=True,
    )
    messages = " ".join(str(m) for m in response.context["messages"])
    assert "消防验收或备案" in messages
    institution.refresh_from_db()
    assert institution.status == Institution.Status.CANDIDATE
