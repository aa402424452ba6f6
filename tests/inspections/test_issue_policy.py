"""Who may do what to an issue, now: one policy asked by the services, the views and the page
(``inspections/policies/issues.py``). World (tests/inspections/world.py): ``issue_a`` open with a
pending extension request ``extension_a``; ``issue_a2`` waiting for the verification of
``rectification_a``; ``issue_b`` of institution B (county B)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inspections.models import DeadlineExtension, Issue, Rectification
from inspections.policies import issue_policy
from inspections.services import issues as services
from tests.files import png_upload

pytestmark = pytest.mark.django_db


def refused_for_role(action, user, issue) -> bool:
    refusal = issue_policy.check(action, user, issue)
    return refusal is not None and refusal.role


def refused_now(action, user, issue) -> str:
    """The reason a state refusal gives (fails if the action is allowed or refused for role)."""
    refusal = issue_policy.check(action, user, issue)
    assert refusal is not None and not refusal.role, refusal
    return refusal.message


def close(world, issue):
    """The institution rectifies (unless it has) and county A staff accept: the issue is
    closed."""
    rectification = issue.rectifications.filter(
        decision=Rectification.Decision.PENDING
    ).first() or services.rectification_submit(
        issue=issue, actor=world.users["institution_user"], plan="已整改", uploads=[png_upload()]
    )
    services.rectification_decide(
        rectification=rectification, actor=world.users["county_a_staff"], accept=True
    )
    issue.refresh_from_db()
    assert issue.is_closed
    return issue


# Rectify ----------------------------------------------------------------------------------------


def test_the_institution_rectifies_its_open_issue_and_nobody_else_does(world):
    institution = world.users["institution_user"]
    assert issue_policy.allows("rectify", institution, world.issue_a)
    for persona in ("admin", "city_staff", "county_a_staff", "station_staff", "supervisor"):
        assert refused_for_role("rectify", world.users[persona], world.issue_a), persona
    # Another institution's issue is not the institution's to answer.
    assert refused_for_role("rectify", institution, world.issue_b)
    with pytest.raises(PermissionDenied):
        services.rectification_submit(
            issue=world.issue_a, actor=world.users["county_a_staff"], plan="x", uploads=[]
        )


def test_an_issue_waiting_for_verification_takes_no_second_rectification(world):
    institution = world.users["institution_user"]
    assert refused_now("rectify", institution, world.issue_a2) == "该问题当前不需要提交整改。"
    with pytest.raises(ValidationError) as refused:
        services.rectification_submit(
            issue=world.issue_a2, actor=institution, plan="再次整改", uploads=[png_upload()]
        )
    assert refused.value.messages == ["该问题当前不需要提交整改。"]


# Extension requests -----------------------------------------------------------------------------


def test_the_institution_asks_for_more_time_one_request_at_a_time_until_closed(world):
    institution = world.users["institution_user"]
    assert issue_policy.allows("request_extension", institution, world.issue_a2)
    assert refused_for_role("request_extension", world.users["county_a_staff"], world.issue_a2)
    assert (
        refused_now("request_extension", institution, world.issue_a)
        == "已有一份延期申请在等待审批。"
    )
    issue = close(world, world.issue_a2)
    assert refused_now("request_extension", institution, issue) == "该问题已销号。"
    with pytest.raises(ValidationError):
        services.extension_request(
            issue=issue,
            actor=institution,
            requested_deadline=issue.deadline + datetime.timedelta(days=5),
            reason="供货周期长",
        )


# Verification -----------------------------------------------------------------------------------


def test_staff_in_scope_verify_a_rectification_waiting_for_it(world):
    for persona in ("admin", "city_staff", "county_a_staff", "station_staff"):
        assert issue_policy.allows("verify", world.users[persona], world.issue_a2), persona
    for persona in ("institution_user", "county_b_staff", "supervisor"):
        assert refused_for_role("verify", world.users[persona], world.issue_a2), persona
    # County B is outside institution A's scope: the service refuses it whoever calls it.
    with pytest.raises(PermissionDenied):
        services.rectification_decide(
            rectification=world.rectification_a, actor=world.users["county_b_staff"], accept=True
        )
    assert refused_now("verify", world.users["county_a_staff"], world.issue_a) == "该整改已验收。"


def test_the_supervisor_assigned_to_the_institution_verifies(assigned):
    world = assigned
    supervisor = world.users["supervisor"]
    assert issue_policy.allows("verify", supervisor, world.issue_a2)
    # Deciding an extension is staff's.
    assert refused_for_role("decide_extension", supervisor, world.issue_a)


def test_only_the_rectification_waiting_for_verification_is_decided(world):
    staff, institution = world.users["county_a_staff"], world.users["institution_user"]
    services.rectification_decide(
        rectification=world.rectification_a, actor=staff, accept=False, reason="照片不清晰"
    )
    services.rectification_submit(
        issue=world.issue_a2, actor=institution, plan="已重新整改", uploads=[png_upload()]
    )
    world.issue_a2.refresh_from_db()
    # The issue waits for a verification again, but of the new rectification.
    assert issue_policy.allows("verify", staff, world.issue_a2)
    with pytest.raises(ValidationError) as refused:
        services.rectification_decide(rectification=world.rectification_a, actor=staff, accept=True)
    assert refused.value.messages == ["该整改已验收。"]
    world.rectification_a.refresh_from_db()
    assert world.rectification_a.decision == Rectification.Decision.REJECTED


# Extension decisions ----------------------------------------------------------------------------


def test_staff_in_scope_decide_a_pending_extension_request(world):
    for persona in ("admin", "city_staff", "county_a_staff", "station_staff"):
        assert issue_policy.allows("decide_extension", world.users[persona], world.issue_a)
        assert issue_policy.allows("approve_extension", world.users[persona], world.issue_a)
    for persona in ("institution_user", "county_b_staff", "supervisor"):
        assert refused_for_role("decide_extension", world.users[persona], world.issue_a), persona
    with pytest.raises(PermissionDenied):
        services.extension_decide(
            extension=world.extension_a,
            actor=world.users["institution_user"],
            approve=True,
            reason="自批",
        )
    staff = world.users["county_a_staff"]
    assert refused_now("decide_extension", staff, world.issue_a2) == "该申请已审批。"


def test_a_closed_issues_pending_request_is_refused_not_approved(world):
    staff = world.users["county_a_staff"]
    issue = close(world, world.issue_a)
    assert issue_policy.allows("decide_extension", staff, issue)
    assert refused_now("approve_extension", staff, issue) == "该问题已销号。"
    with pytest.raises(ValidationError) as refused:
        services.extension_decide(
            extension=world.extension_a, actor=staff, approve=True, reason="理由充分"
        )
    assert refused.value.messages == ["该问题已销号。"]
    world.extension_a.refresh_from_db()
    assert world.extension_a.decision == DeadlineExtension.Decision.PENDING
    services.extension_decide(
        extension=world.extension_a, actor=staff, approve=False, reason="已销号"
    )
    world.extension_a.refresh_from_db()
    assert world.extension_a.decision == DeadlineExtension.Decision.REFUSED
    assert refused_now("decide_extension", staff, issue) == "该申请已审批。"


# The page ---------------------------------------------------------------------------------------


def _page(client, issue):
    response = client.get(reverse("inspections:issue_detail", args=[issue.pk]))
    assert response.status_code == 200
    return response


def _url(name, obj):
    return reverse(f"inspections:{name}", args=[obj.pk])


def test_the_page_offers_the_institution_only_what_it_may_do_now(world, client_for):
    client = client_for("institution_user")
    open_issue = _page(client, world.issue_a)
    assert open_issue.context["actions"] == {"rectify"}
    body = open_issue.content.decode()
    assert _url("rectification_submit", world.issue_a) in body
    assert _url("extension_request", world.issue_a) not in body  # one request waits already
    assert _url("extension_decide", world.extension_a) not in body
    waiting = _page(client, world.issue_a2)
    assert waiting.context["actions"] == {"request_extension"}
    body = waiting.content.decode()
    assert _url("extension_request", world.issue_a2) in body
    assert _url("rectification_submit", world.issue_a2) not in body
    assert _url("rectification_decide", world.rectification_a) not in body


def test_the_page_offers_staff_the_decisions_waiting_for_them(world, client_for):
    client = client_for("county_a_staff")
    open_issue = _page(client, world.issue_a)
    assert open_issue.context["actions"] == {"decide_extension", "approve_extension"}
    body = open_issue.content.decode()
    assert _url("extension_decide", world.extension_a) in body
    assert _url("rectification_submit", world.issue_a) not in body
    waiting = _page(client, world.issue_a2)
    assert waiting.context["actions"] == {"verify"}
    assert _url("rectification_decide", world.rectification_a) in waiting.content.decode()
    # Once verified, nothing is left to decide.
    services.rectification_decide(
        rectification=world.rectification_a, actor=world.users["county_a_staff"], accept=True
    )
    closed = _page(client, world.issue_a2)
    assert closed.context["actions"] == frozenset()
    assert _url("rectification_decide", world.rectification_a) not in closed.content.decode()


def test_a_state_refusal_is_a_message_not_a_403(world, client_for):
    response = client_for("institution_user").post(
        _url("extension_request", world.issue_a),
        {
            "requested_deadline": str(world.issue_a.deadline + datetime.timedelta(days=20)),
            "reason": "再申请一次",
        },
    )
    assert response.status_code == 400
    assert "已有一份延期申请在等待审批。" in response.content.decode()
    assert world.issue_a.extensions.count() == 1
    assert Issue.objects.get(pk=world.issue_a.pk).deadline == world.issue_a.deadline
