"""An issue's thread through its pages: the institution answers, staff verify, nobody changes
what their role does not allow, whatever fields they post."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from inspections.models import DeadlineExtension, Issue
from tests.files import png_upload

pytestmark = pytest.mark.django_db


def _url(name, obj):
    return reverse(f"inspections:{name}", args=[obj.pk])


def test_the_institution_submits_a_rectification_and_extra_fields_change_nothing(world, client_for):
    issue = world.issue_a
    response = client_for("institution_user").post(
        _url("rectification_submit", issue),
        {
            "plan": "已更换灭火器",
            "evidence": png_upload(),
            "status": "closed",
            "deadline": "2030-01-01",
            "severity": "general",
        },
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SUBMITTED
    assert issue.deadline == issue.original_deadline
    assert issue.rectifications.get().plan == "已更换灭火器"


def test_a_rectification_without_evidence_is_refused_in_chinese(world, client_for):
    response = client_for("institution_user").post(
        _url("rectification_submit", world.issue_a), {"plan": "已整改"}
    )
    assert response.status_code == 400
    assert "请至少上传一份照片或文件作为整改佐证" in response.content.decode()
    world.issue_a.refresh_from_db()
    assert world.issue_a.status == Issue.Status.OPEN


def test_the_institution_cannot_see_or_answer_another_institutions_issue(world, client_for):
    client = client_for("institution_user")
    assert client.get(_url("issue_detail", world.issue_b)).status_code == 404
    response = client.post(
        _url("rectification_submit", world.issue_b), {"plan": "x", "evidence": png_upload()}
    )
    assert response.status_code == 404
    assert not world.issue_b.rectifications.exists()


def test_the_institution_cannot_approve_its_own_extension(world, client_for):
    response = client_for("institution_user").post(
        _url("extension_decide", world.extension_a), {"decision": "approve", "reason": "自批"}
    )
    assert response.status_code == 403
    world.issue_a.refresh_from_db()
    assert world.issue_a.deadline == world.issue_a.original_deadline
    assert world.extension_a.decision == DeadlineExtension.Decision.PENDING


def test_staff_reject_a_rectification_with_a_reason(world, client_for):
    url = _url("rectification_decide", world.rectification_a)
    response = client_for("county_a_staff").post(url, {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    response = client_for("county_a_staff").post(
        url, {"decision": "reject", "reason": "照片不清晰"}
    )
    assert response.status_code == 302
    world.issue_a2.refresh_from_db()
    assert world.issue_a2.status == Issue.Status.OPEN
    page = client_for("institution_user").get(_url("issue_detail", world.issue_a2))
    assert "照片不清晰" in page.content.decode()


def test_staff_approve_an_extension_and_the_original_deadline_stays_visible(world, client_for):
    response = client_for("county_a_staff").post(
        _url("extension_decide", world.extension_a), {"decision": "approve", "reason": "同意"}
    )
    assert response.status_code == 302
    issue = world.issue_a
    issue.refresh_from_db()
    assert issue.deadline == world.extension_a.requested_deadline
    body = client_for("county_a_staff").get(_url("issue_detail", issue)).content.decode()
    assert issue.original_deadline.isoformat() in body


def test_an_overdue_issue_says_so_in_words(world, client_for):
    later = world.issue_a.deadline + datetime.timedelta(days=3)
    moment = datetime.datetime.combine(later, datetime.time(10), tzinfo=datetime.UTC)
    with time_machine.travel(moment):
        body = client_for("institution_user").get(_url("issue_detail", world.issue_a))
    text = body.content.decode()
    assert "逾期" in text and "3" in text


def test_a_deadline_without_official_data_is_flagged(world, client_for):
    Issue.objects.filter(pk=world.issue_a.pk).update(deadline_official=False)
    body = client_for("county_a_staff").get(_url("issue_detail", world.issue_a)).content.decode()
    assert "放假安排" in body


def test_staff_raise_a_free_standing_issue(world, client_for):
    response = client_for("county_a_staff").post(
        reverse("inspections:issue_create", args=[world.institution_a.pk]),
        {
            "area": "fire_safety",
            "description": "走廊堆放杂物堵塞疏散通道",
            "severity": "major",
            "responsible_person": "李主任",
        },
    )
    assert response.status_code == 302
    issue = Issue.objects.get(description="走廊堆放杂物堵塞疏散通道")
    assert issue.inspection is None and issue.rectification_days == 3
