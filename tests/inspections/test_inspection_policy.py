"""Who may do what to an inspection, now: one policy asked by the services, the views and the
page (``inspections/policies/inspections.py``)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit_portal.core.policy import Policy
from inspections.policies import inspection_policy
from inspections.services import inspections as services


def test_the_team_conducts_and_others_are_refused_for_who_they_are(world):
    draft = world.draft_a  # in progress, led by county A staff
    assert inspection_policy.allows("record", world.users["county_a_staff"], draft)
    refusal = inspection_policy.check("record", world.users["county_b_staff"], draft)
    assert refusal.role
    refusal = inspection_policy.check("start", world.users["county_a_staff"], draft)
    assert not refusal.role and "检查中" in refusal.message


def test_finalising_waits_for_the_comment_period_or_the_comment(world):
    staff = world.users["county_a_staff"]
    inspection = world.inspection_a  # open for comments, none yet
    refusal = inspection_policy.check("finalise", staff, inspection)
    assert refusal is not None and not refusal.role
    with pytest.raises(ValidationError):
        services.inspection_finalise(inspection=inspection, actor=staff)
    services.inspection_comment(
        inspection=inspection, actor=world.users["institution_user"], comment="第2项已当场整改"
    )
    inspection.refresh_from_db()
    assert inspection_policy.allows("finalise", staff, inspection)


def test_only_the_inspected_institution_comments(world):
    assert inspection_policy.allows("comment", world.users["institution_user"], world.inspection_a)
    with pytest.raises(PermissionDenied):
        inspection_policy.require("comment", world.users["county_a_staff"], world.inspection_a)


def test_the_institution_never_reads_a_draft(world):
    assert not inspection_policy.allows(
        "read_draft", world.users["institution_user"], world.draft_a
    )
    assert inspection_policy.allows("read_draft", world.users["county_a_staff"], world.draft_a)
    assert inspection_policy.allows(
        "read_report", world.users["institution_user"], world.inspection_a
    )


def test_the_page_offers_finalising_only_when_the_policy_allows_it(world, client_for):
    url = reverse("inspections:inspection_detail", args=[world.inspection_a.pk])
    finalise = reverse("inspections:inspection_finalise", args=[world.inspection_a.pk])
    assert finalise not in client_for("county_a_staff").get(url).content.decode()
    client_for("institution_user").post(
        reverse("inspections:inspection_comment", args=[world.inspection_a.pk]),
        {"comment": "第2项已当场整改"},
    )
    assert finalise in client_for("county_a_staff").get(url).content.decode()
    assert finalise not in client_for("institution_user").get(url).content.decode()


def test_an_unknown_action_is_a_programming_error(world):
    with pytest.raises(ValueError):
        inspection_policy.check("delete", world.users["admin"], world.inspection_a)
    assert isinstance(inspection_policy, Policy)
