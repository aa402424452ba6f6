"""The open day's policies (``openday/policies.py``): each action allowed and refused, for the
user's role (a 403) and for the object's state (a message), and the staff pages offering an
action only when the policy allows it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from openday import services
from openday.models import PublicComplaint, Summary
from openday.policies import (
    complaint_policy,
    contributors,
    summary_policy,
    visit_day_policy,
)


def _refusal(policy, action, user, obj):
    refusal = policy.check(action, user, obj)
    assert refusal is not None, f"{action} was allowed"
    return refusal


def role_refused(policy, action, user, obj) -> bool:
    return _refusal(policy, action, user, obj).role


def state_refused(policy, action, user, obj) -> str:
    refusal = _refusal(policy, action, user, obj)
    assert not refusal.role, f"{action} was refused for the role"
    return refusal.message


@pytest.fixture
def city(world):
    return world.users["city_staff"]


@pytest.fixture
def county(world):
    return world.users["county_a_staff"]


@pytest.fixture
def draft(world):
    return Summary.objects.get(pk=world.draft.pk)


@pytest.fixture
def published(world):
    return Summary.objects.get(pk=world.summary.pk)


@pytest.fixture
def approved(world):
    return services.summary_approve(summary=world.draft, actor=world.approver)


@pytest.fixture
def routed(world):
    """A complaint about institution A routed to the supervisor persona's group."""
    from supervisors import services as supervisor_services

    supervisor_services.group_assign(
        group=world.group,
        institution=world.institution_a,
        starts_on=timezone.localdate() - datetime.timedelta(days=10),
        actor=world.users["city_staff"],
    )
    return services.complaint_submit(
        institution=world.institution_a, kind="complaint", text="夜间无人值守", phone="13811112222"
    )


# The summary: a year's first version -----------------------------------------------------------


def test_drafting_a_year(world, city, county):
    assert summary_policy.allows_draft_for(city)
    assert summary_policy.allows_draft_for(city, 2030)
    refusal = summary_policy.draft_for(city, 2026)
    assert refusal is not None and not refusal.role and "2026" in refusal.message
    assert summary_policy.draft_for(county).role
    assert summary_policy.draft_for(world.users["supervisor"], 2030).role
    with pytest.raises(PermissionDenied):
        services.summary_draft(year=2030, actor=county)
    with pytest.raises(ValidationError):
        services.summary_draft(year=2026, actor=city)


# The draft -------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["regenerate", "edit"])
def test_a_draft_is_computed_again_and_edited_by_the_city_bureau(
    world, city, county, action, draft
):
    assert summary_policy.allows(action, city, draft)
    assert role_refused(summary_policy, action, county, draft)
    assert role_refused(summary_policy, action, world.users["station_staff"], draft)


@pytest.mark.parametrize("action", ["regenerate", "edit"])
def test_an_approved_or_published_summary_is_frozen(world, city, approved, action, published):
    for summary in (approved, published):
        assert (
            state_refused(summary_policy, action, city, summary)
            == "只有草稿可以修改；此汇总已冻结。"
        )
    with pytest.raises(ValidationError):
        services.summary_regenerate(summary=approved, actor=city)


# Approval: the two-person rule -----------------------------------------------------------------


def test_another_city_user_approves(world, draft):
    assert summary_policy.allows("approve", world.approver, draft)
    assert not summary_policy.only_others_approve(world.approver, draft)


def test_the_drafter_may_not_approve_and_is_told_why(world, city, draft):
    assert city.pk in contributors(draft)
    message = state_refused(summary_policy, "approve", city, draft)
    assert message == "汇总须由起草人以外的其他人审核。"
    assert summary_policy.only_others_approve(city, draft)
    with pytest.raises(ValidationError):
        services.summary_approve(summary=draft, actor=city)


def test_someone_who_edited_a_narrative_may_not_approve(world, draft):
    services.entry_narrative(entry=draft.entries.first(), text="平稳", actor=world.approver)
    state_refused(summary_policy, "approve", world.approver, draft)
    assert summary_policy.only_others_approve(world.approver, draft)


def test_approval_needs_the_role_and_a_draft(world, county, draft, published):
    assert role_refused(summary_policy, "approve", county, draft)
    assert not summary_policy.only_others_approve(county, draft)
    with pytest.raises(PermissionDenied):
        services.summary_approve(summary=draft, actor=county)
    admin = world.users["admin"]
    assert state_refused(summary_policy, "approve", admin, published) == "只有草稿可以审核。"
    approved = services.summary_approve(summary=draft, actor=world.approver)
    assert state_refused(summary_policy, "approve", admin, approved) == "只有草稿可以审核。"


def test_sending_back_an_approved_summary(world, county, approved, published):
    assert summary_policy.allows("send_back", world.approver, approved)
    assert role_refused(summary_policy, "send_back", county, approved)
    state_refused(summary_policy, "send_back", world.approver, published)
    with pytest.raises(PermissionDenied):
        services.summary_return(summary=approved, actor=county, reason="数字有误")
    services.summary_return(summary=approved, actor=world.approver, reason="数字有误")
    approved.refresh_from_db()
    state_refused(summary_policy, "send_back", world.approver, approved)


# Publication and corrections -------------------------------------------------------------------


def test_publishing_needs_an_approved_summary(world, city, county, draft, published):
    state_refused(summary_policy, "publish", city, draft)
    state_refused(summary_policy, "publish", city, published)
    approved = services.summary_approve(summary=draft, actor=world.approver)
    assert summary_policy.allows("publish", city, approved)
    assert role_refused(summary_policy, "publish", county, approved)
    with pytest.raises(PermissionDenied):
        services.summary_publish(summary=approved, actor=county)


def test_correcting_the_published_version_once_at_a_time(world, city, county, draft, published):
    assert summary_policy.allows("correct", city, published)
    assert role_refused(summary_policy, "correct", county, published)
    state_refused(summary_policy, "correct", city, draft)
    with pytest.raises(PermissionDenied):
        services.summary_correct(summary=published, actor=county, reason="x")
    services.summary_correct(summary=published, actor=city, reason="机构名称有误")
    message = state_refused(summary_policy, "correct", city, published)
    assert "2026" not in message
    with pytest.raises(ValidationError):
        services.summary_correct(summary=published, actor=city, reason="再次更正")


def test_everyone_who_reads_the_summaries_previews_the_pdf(world, county, draft, published):
    approved = Summary(status=Summary.Status.APPROVED)
    for summary in (draft, approved, published):
        assert summary_policy.allows("preview", county, summary)
        assert summary_policy.allows("preview", world.users["station_staff"], summary)
        assert role_refused(summary_policy, "preview", world.users["supervisor"], summary)


def test_the_bureau_that_publishes_renders_a_public_versions_pdfs_again(
    world, city, county, draft, published
):
    assert summary_policy.allows("render_files", city, published)
    assert role_refused(summary_policy, "render_files", county, published)
    state_refused(summary_policy, "render_files", city, draft)


# Visits ------------------------------------------------------------------------------------------


def test_visits_are_arranged_by_the_bureaus(world, county):
    assert visit_day_policy.allows_arrange_for(county, world.institution_a)
    assert world.users["city_staff"].has_perm("openday.change_visitday")
    refusal = visit_day_policy.arrange_for(world.users["station_staff"], world.institution_a)
    assert refusal is not None and refusal.role
    with pytest.raises(PermissionDenied):
        services.visit_day_set(
            institution=world.institution_a,
            year=2027,
            capacity=10,
            hours="9-11",
            meeting_point="正门",
            registration_open=True,
            actor=world.users["station_staff"],
        )


# Complaints --------------------------------------------------------------------------------------


def test_acknowledging_a_received_complaint(world, county):
    complaint = world.public_complaint
    assert complaint_policy.allows("acknowledge", county, complaint)
    assert role_refused(complaint_policy, "acknowledge", world.users["supervisor"], complaint)
    services.complaint_acknowledge(complaint=complaint, actor=county)
    complaint.refresh_from_db()
    assert complaint.status == PublicComplaint.Status.HANDLING
    message = state_refused(complaint_policy, "acknowledge", county, complaint)
    assert message == "此投诉已在处理中。"
    with pytest.raises(ValidationError):
        services.complaint_acknowledge(complaint=complaint, actor=county)


def test_replying_once(world, county):
    complaint = world.public_complaint
    assert complaint_policy.allows("reply", county, complaint)
    assert complaint_policy.allows("reply", world.users["city_staff"], complaint)
    assert role_refused(complaint_policy, "reply", world.users["supervisor"], complaint)
    with pytest.raises(PermissionDenied):
        services.complaint_reply(complaint=complaint, actor=world.users["supervisor"], reply="x")
    services.complaint_reply(complaint=complaint, actor=county, reply="已处理")
    complaint.refresh_from_db()
    for action in ("reply", "acknowledge"):
        message = state_refused(complaint_policy, action, county, complaint)
        assert message == "此投诉已答复。"
    with pytest.raises(ValidationError):
        services.complaint_reply(complaint=complaint, actor=county, reply="再答复")


def test_a_supervisor_of_a_routed_group_forwards_once(world, routed, county):
    supervisor = world.users["supervisor"]
    assert complaint_policy.allows("forward", supervisor, routed)
    # Staff have no supervisor record: the administrator's every permission is not enough.
    assert role_refused(complaint_policy, "forward", county, routed)
    assert role_refused(complaint_policy, "forward", world.users["city_staff"], routed)
    assert role_refused(complaint_policy, "forward", world.users["admin"], routed)
    services.complaint_forward(complaint=routed, actor=supervisor, note="")
    routed.refresh_from_db()
    message = state_refused(complaint_policy, "forward", supervisor, routed)
    assert message == "已有监督员转交此投诉。"
    with pytest.raises(ValidationError):
        services.complaint_forward(complaint=routed, actor=supervisor, note="")


def test_a_supervisor_forwards_nothing_once_it_is_answered(world, routed, county):
    services.complaint_reply(complaint=routed, actor=county, reply="已处理")
    routed.refresh_from_db()
    state_refused(complaint_policy, "forward", world.users["supervisor"], routed)


def test_a_complaint_not_routed_to_the_supervisors_group_is_not_theirs(world):
    complaint = world.public_complaint
    assert not complaint.groups.exists()
    assert role_refused(complaint_policy, "forward", world.users["supervisor"], complaint)
    with pytest.raises(PermissionDenied):
        services.complaint_forward(complaint=complaint, actor=world.users["supervisor"], note="")


# The staff pages offer what the policy allows ---------------------------------------------------


def _page(client, name, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def _offers(html: str, name: str, *args) -> bool:
    return f'action="{reverse(name, args=args)}"' in html


def test_the_list_offers_a_draft_to_the_city_bureau_only(world, client_for):
    create = 'action="{}"'.format(reverse("openday:summary_create"))
    assert create in _page(client_for("city_staff"), "openday:summary_list")
    assert create not in _page(client_for("county_a_staff"), "openday:summary_list")


def test_the_draft_page(world, client_for, draft):
    pk = draft.pk
    drafter = _page(client_for("city_staff"), "openday:summary_detail", pk)
    assert _offers(drafter, "openday:summary_regenerate", pk)
    assert not _offers(drafter, "openday:summary_approve", pk)
    assert "其他人" in drafter  # you worked on this draft: someone else must approve it
    assert reverse("openday:entry_narrative", args=[pk, draft.entries.first().pk]) in drafter
    for action in ("summary_publish", "summary_return", "summary_correct"):
        assert not _offers(drafter, f"openday:{action}", pk)

    approver = client_for("city_staff")
    approver.force_login(world.approver)
    page = _page(approver, "openday:summary_detail", pk)
    assert _offers(page, "openday:summary_approve", pk)
    assert "其他人" not in page

    county = _page(client_for("county_a_staff"), "openday:summary_detail", pk)
    for action in ("summary_regenerate", "summary_approve", "summary_publish"):
        assert not _offers(county, f"openday:{action}", pk)
    assert "其他人" not in county
    assert reverse("openday:entry_narrative", args=[pk, draft.entries.first().pk]) not in county
    assert _offers(county, "openday:summary_preview", pk)


def test_the_approved_page(world, approved, client_for):
    pk = approved.pk
    page = _page(client_for("city_staff"), "openday:summary_detail", pk)
    assert _offers(page, "openday:summary_publish", pk)
    assert _offers(page, "openday:summary_return", pk)
    for action in ("summary_regenerate", "summary_approve", "summary_correct"):
        assert not _offers(page, f"openday:{action}", pk)
    county = _page(client_for("county_a_staff"), "openday:summary_detail", pk)
    assert not _offers(county, "openday:summary_publish", pk)
    assert not _offers(county, "openday:summary_return", pk)


def test_the_published_page(world, client_for, published):
    pk = published.pk
    page = _page(client_for("city_staff"), "openday:summary_detail", pk)
    assert _offers(page, "openday:summary_correct", pk)
    for action in ("summary_regenerate", "summary_approve", "summary_publish", "summary_return"):
        assert not _offers(page, f"openday:{action}", pk)
    assert not _offers(
        _page(client_for("county_a_staff"), "openday:summary_detail", pk),
        "openday:summary_correct",
        pk,
    )
    assert _offers(page, "openday:summary_render_files", pk)
    assert not _offers(
        _page(client_for("county_a_staff"), "openday:summary_detail", pk),
        "openday:summary_render_files",
        pk,
    )
    services.summary_correct(summary=published, actor=world.users["city_staff"], reason="更正")
    page = _page(client_for("city_staff"), "openday:summary_detail", pk)
    assert not _offers(page, "openday:summary_correct", pk)


def test_the_narrative_form_of_a_frozen_summary_says_so(world, client_for, draft, published):
    entry = published.entries.first()
    html = _page(client_for("city_staff"), "openday:entry_narrative", published.pk, entry.pk)
    assert '<form method="post">' not in html
    assert "已冻结" in html
    entry = draft.entries.first()
    html = _page(client_for("city_staff"), "openday:entry_narrative", draft.pk, entry.pk)
    assert '<form method="post">' in html


def test_the_visit_list_offers_arranging_to_the_bureaus(world, client_for):
    edit = reverse(
        "openday:visitday_edit", kwargs={"year": 2027, "institution": world.institution_a.pk}
    )
    assert (
        edit
        in client_for("county_a_staff")
        .get(reverse("openday:visitday_list") + "?year=2027")
        .content.decode()
    )
    assert (
        edit
        not in client_for("station_staff")
        .get(reverse("openday:visitday_list") + "?year=2027")
        .content.decode()
    )


def test_the_complaint_page(world, routed, client_for):
    pk = routed.pk
    county = _page(client_for("county_a_staff"), "openday:complaint_detail", pk)
    assert _offers(county, "openday:complaint_acknowledge", pk)
    assert _offers(county, "openday:complaint_reply", pk)
    assert not _offers(county, "openday:complaint_forward", pk)
    admin = _page(client_for("admin"), "openday:complaint_detail", pk)
    assert not _offers(admin, "openday:complaint_forward", pk)
    supervisor = _page(client_for("supervisor"), "openday:complaint_detail", pk)
    assert _offers(supervisor, "openday:complaint_forward", pk)
    assert not _offers(supervisor, "openday:complaint_reply", pk)
    assert not _offers(supervisor, "openday:complaint_acknowledge", pk)

    services.complaint_forward(complaint=routed, actor=world.users["supervisor"], note="")
    supervisor = _page(client_for("supervisor"), "openday:complaint_detail", pk)
    assert not _offers(supervisor, "openday:complaint_forward", pk)
    county = _page(client_for("county_a_staff"), "openday:complaint_detail", pk)
    assert not _offers(county, "openday:complaint_acknowledge", pk)  # already being handled
    assert _offers(county, "openday:complaint_reply", pk)

    services.complaint_reply(complaint=routed, actor=world.users["county_a_staff"], reply="已处理")
    county = _page(client_for("county_a_staff"), "openday:complaint_detail", pk)
    for action in ("complaint_acknowledge", "complaint_reply", "complaint_forward"):
        assert not _offers(county, f"openday:{action}", pk)


# The pages answer with the policy's refusals ----------------------------------------------------


def test_a_role_refusal_is_a_403_and_a_state_refusal_a_message(world, client_for, published):
    pk = published.pk
    assert (
        client_for("county_a_staff").post(reverse("openday:summary_publish", args=[pk])).status_code
        == 403
    )
    response = client_for("city_staff").post(
        reverse("openday:summary_publish", args=[pk]), follow=True
    )
    assert response.status_code == 200
    assert "只有已审核的汇总可以发布。" in response.content.decode()
    assert Summary.objects.get(pk=pk).status == Summary.Status.PUBLISHED
    ack = reverse("openday:complaint_acknowledge", args=[world.public_complaint.pk])
    assert client_for("supervisor").post(ack).status_code == 404
    client_for("county_a_staff").post(ack)
    response = client_for("county_a_staff").post(ack, follow=True)
    assert "此投诉已在处理中" in response.content.decode()
