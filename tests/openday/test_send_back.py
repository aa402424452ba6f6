"""Sending a summary back to draft does not make the approver one of its drafters, and staff
who may not draft are told who does."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openday import services
from openday.policies import contributors, summary_policy

pytestmark = pytest.mark.django_db


def test_an_approver_who_sent_a_draft_back_may_approve_it_again(world):
    draft = world.draft
    services.summary_approve(summary=draft, actor=world.approver)
    services.summary_return(summary=draft, actor=world.approver, reason="数据待核实")
    draft.refresh_from_db()
    assert world.approver.pk not in contributors(draft)
    assert summary_policy.allows("approve", world.approver, draft)
    services.summary_approve(summary=draft, actor=world.approver)
    draft.refresh_from_db()
    assert draft.status == "approved"


def test_an_approver_who_then_edits_the_draft_is_a_drafter(world):
    draft = world.draft
    services.summary_approve(summary=draft, actor=world.approver)
    services.summary_return(summary=draft, actor=world.approver, reason="数据待核实")
    services.summary_regenerate(summary=draft, actor=world.approver)
    draft.refresh_from_db()
    assert world.approver.pk in contributors(draft)
    with pytest.raises(ValidationError):
        services.summary_approve(summary=draft, actor=world.approver)


def test_the_drafter_still_may_not_approve(world):
    draft = world.draft
    assert world.users["city_staff"].pk in contributors(draft)
    assert not summary_policy.allows("approve", world.users["city_staff"], draft)


def test_county_staff_are_told_the_city_bureau_drafts(world, client_for):
    response = client_for("county_a_staff").get(reverse("openday:summary_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'action="' + reverse("openday:summary_create") + '"' not in html
    assert "市民政局起草" in html or "The city civil-affairs bureau drafts" in html
