"""Draft → approved by someone else → published; frozen snapshots; corrections."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from openday import services
from openday.models import Summary
from tests.factories import UserFactory
from tests.openday.factories import issue


@pytest.fixture
def draft(world):
    return world.draft


def test_the_drafter_cannot_approve(world, draft):
    with pytest.raises(ValidationError):
        services.summary_approve(summary=draft, actor=world.users["city_staff"])
    draft.refresh_from_db()
    assert draft.status == Summary.Status.DRAFT


def test_someone_who_edited_a_narrative_cannot_approve(world, draft):
    entry = draft.entries.first()
    services.entry_narrative(entry=entry, text="全年运行平稳", actor=world.approver)
    with pytest.raises(ValidationError):
        services.summary_approve(summary=draft, actor=world.approver)


def test_another_city_user_approves_and_the_figures_freeze(world, draft):
    services.summary_approve(summary=draft, actor=world.approver)
    draft.refresh_from_db()
    assert draft.status == Summary.Status.APPROVED
    assert draft.approved_by == world.approver
    with pytest.raises(ValidationError):
        services.summary_regenerate(summary=draft, actor=world.users["city_staff"])
    with pytest.raises(ValidationError):
        services.entry_narrative(
            entry=draft.entries.first(), text="x", actor=world.users["city_staff"]
        )


def test_the_database_refuses_an_approver_who_drafted(world, draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Summary.objects.filter(pk=draft.pk).update(
            status="approved", approved_by=draft.drafted_by, approved_at=draft.drafted_at
        )


def test_county_staff_cannot_approve(world, draft):
    with pytest.raises(PermissionDenied):
        services.summary_approve(summary=draft, actor=world.users["county_a_staff"])


def test_approving_through_the_page(world, draft, client_for):
    client = client_for("city_staff")
    client.force_login(world.approver)
    response = client.post(reverse("openday:summary_approve", args=[draft.pk]), {"status": "x"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "approved"


def test_the_drafter_approving_through_the_page_gets_an_error(world, draft, client_for):
    response = client_for("city_staff").post(
        reverse("openday:summary_approve", args=[draft.pk]), follow=True
    )
    assert "其他人" in response.content.decode() or response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_only_an_approved_summary_is_published(world, draft):
    with pytest.raises(ValidationError):
        services.summary_publish(summary=draft, actor=world.approver)


def test_the_public_pages_answer_404_for_a_draft_and_an_approved_summary(world, draft, client):
    for status in ("draft", "approved"):
        if status == "approved":
            services.summary_approve(summary=draft, actor=world.approver)
        for url in (
            reverse("openday:area", kwargs={"year": 2027}),
            reverse("openday:area", kwargs={"year": 2027, "version": 1}),
            reverse("openday:summary_pdf", kwargs={"year": 2027}),
            reverse(
                "openday:institution", kwargs={"year": 2027, "institution": world.institution_a.pk}
            ),
            reverse("openday:poster", kwargs={"year": 2027, "institution": world.institution_a.pk}),
        ):
            assert client.get(url).status_code == 404, (status, url)


def test_the_published_snapshot_does_not_change_when_records_change(world, client):
    summary = world.summary
    url = reverse(
        "openday:institution", kwargs={"year": 2026, "institution": world.institution_a.pk}
    )
    before = client.get(url).content
    figures_before = summary.entries.get(institution=world.institution_a).figures
    in_period = summary.period_end - datetime.timedelta(days=3)
    for _ in range(4):
        issue(world.institution_a, world.users["county_a_staff"], raised_on=in_period)
    world.institution_a.name = "改名后的福利院"
    world.institution_a._change_reason = "更名"
    world.institution_a.save()
    assert summary.entries.get(institution=world.institution_a).figures == figures_before
    assert client.get(url).content == before


def test_a_correction_is_a_new_version_and_the_old_one_stays_visible(world, client):
    summary = world.summary
    issue(
        world.institution_a,
        world.users["county_a_staff"],
        raised_on=summary.period_end - datetime.timedelta(days=3),
    )
    with pytest.raises(ValidationError):
        services.summary_correct(summary=summary, actor=world.users["city_staff"], reason=" ")
    correction = services.summary_correct(
        summary=summary, actor=world.users["city_staff"], reason="漏录一条问题"
    )
    assert correction.version == 2
    assert correction.replaces == summary
    assert correction.area["issues"] == summary.area["issues"] + 1
    # Until it is approved and published, the public still reads version 1.
    assert (
        "漏录一条问题"
        not in client.get(reverse("openday:area", kwargs={"year": 2026})).content.decode()
    )
    services.summary_approve(summary=correction, actor=world.approver)
    services.summary_publish(summary=correction, actor=world.approver)
    summary.refresh_from_db()
    assert summary.status == Summary.Status.REPLACED
    assert summary.replaced_at is not None
    current = client.get(reverse("openday:area", kwargs={"year": 2026})).content.decode()
    assert "漏录一条问题" in current
    old = client.get(reverse("openday:area", kwargs={"year": 2026, "version": 1}))
    assert old.status_code == 200
    assert "已被更正版本取代" in old.content.decode() or "replaced" in old.content.decode()


def test_a_second_first_version_of_a_year_is_refused(world):
    with pytest.raises(ValidationError):
        services.summary_draft(year=2026, actor=world.users["city_staff"])


def test_a_return_to_draft_needs_a_reason_and_clears_the_approval(world, draft):
    services.summary_approve(summary=draft, actor=world.approver)
    with pytest.raises(ValidationError):
        services.summary_return(summary=draft, actor=world.approver, reason="")
    services.summary_return(summary=draft, actor=world.approver, reason="数据待核实")
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert draft.approved_by is None


def test_public_pages_are_cacheable_and_set_no_cookie(world, client):
    response = client.get(reverse("openday:area", kwargs={"year": 2026}))
    assert "public" in response["Cache-Control"]
    assert not response.cookies


def test_publishing_through_the_page_by_another_city_user(world, draft, client_for):
    services.summary_approve(summary=draft, actor=world.approver)
    third = UserFactory(organisation=world.city)
    client = client_for("anonymous")
    client.force_login(third)
    assert client.post(reverse("openday:summary_publish", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"
    assert client.get(reverse("openday:area", kwargs={"year": 2027})).status_code == 200
