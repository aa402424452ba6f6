"""The registry policies (``inspections/policies/registry.py``): each action allowed, refused for
who the user is (a 403) and refused for the object's state (the reason); the services and pages
ask them, and the pages offer an action only when it is allowed."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from inspections.models import CustodyAgreement, DocumentKind, Institution, QualificationDocument
from inspections.policies import agreement_policy, document_policy, institution_policy
from inspections.services import registry as services
from tests.files import pdf_upload
from tests.inspections.factories import (
    AgreementFactory,
    DocumentFactory,
    InstitutionFactory,
    make_eligible,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to("2026-06-01 10:00:00+08:00", tick=False)


def refusal(policy, action, user, obj):
    """``None`` when allowed, ``"role"`` for who the user is, else the state's reason."""
    found = policy.check(action, user, obj)
    if found is None:
        return None
    return "role" if found.role else found.message


def pending_document(world, submitter):
    return DocumentFactory(
        institution=world.institution_a,
        kind=DocumentKind.FIRE_SAFETY,
        status=QualificationDocument.Status.PENDING,
        submitted_by=submitter,
    )


def draft_for(institution, station, **fields):
    return AgreementFactory(
        institution=institution,
        station=station,
        status=CustodyAgreement.Status.DRAFT,
        **fields,
    )


# The institution -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "allowed", "refused"),
    [
        ("edit", ["admin", "city_staff", "county_a_staff"], ["station_staff", "institution_user"]),
        (
            "change_status",
            ["admin", "city_staff", "county_a_staff"],
            ["station_staff", "institution_user"],
        ),
        ("approve", ["county_a_staff"], ["station_staff", "institution_user"]),
        (
            "upload_document",
            ["admin", "city_staff", "county_a_staff", "institution_user"],
            ["station_staff", "supervisor"],
        ),
        (
            "create_account",
            ["admin", "city_staff", "county_a_staff"],
            ["station_staff", "institution_user"],
        ),
        (
            "create_agreement",
            ["admin", "station_staff"],
            ["city_staff", "county_a_staff", "institution_user"],
        ),
    ],
)
def test_institution_actions_by_role(world, action, allowed, refused):
    for persona in allowed:
        assert (
            refusal(institution_policy, action, world.users[persona], world.institution_a) is None
        )
    for persona in refused:
        assert (
            refusal(institution_policy, action, world.users[persona], world.institution_a) == "role"
        )


def test_an_institution_account_uploads_only_its_own_documents(world):
    user = world.users["institution_user"]
    assert refusal(institution_policy, "upload_document", user, world.institution_b) == "role"


def test_approval_waits_for_every_condition(world):
    staff = world.users["county_a_staff"]
    institution = make_eligible(
        InstitutionFactory(county=world.county_a, status=Institution.Status.CANDIDATE),
        skip={DocumentKind.FOOD_LICENCE},
    )
    reason = refusal(institution_policy, "approve", staff, institution)
    assert "食品经营许可证" in reason
    # Other moves do not wait for the conditions.
    assert refusal(institution_policy, "change_status", staff, institution) is None


def test_the_services_refuse_a_role_that_may_not_act(world):
    station = world.users["station_staff"]
    with pytest.raises(PermissionDenied):
        services.institution_update(
            institution=world.institution_a, actor=station, reason="改名", name="新名称"
        )
    with pytest.raises(PermissionDenied):
        services.institution_change_status(
            institution=world.institution_a, status="suspended", actor=station, reason="暂停"
        )
    with pytest.raises(PermissionDenied):
        services.document_submit(
            institution=world.institution_a,
            kind=DocumentKind.FIXED_SITE,
            number="1",
            issuer="江海市不动产登记中心",
            valid_from=datetime.date(2026, 1, 1),
            valid_until=None,
            scans=[pdf_upload()],
            actor=station,
        )
    with pytest.raises(PermissionDenied):
        services.institution_account_create(
            institution=world.institution_a,
            username="newaccount",
            full_name="王五",
            password="Xy7!abcdefg",
            actor=station,
        )
    with pytest.raises(PermissionDenied):
        services.agreement_create(
            station=world.station,
            institution=world.institution_b,
            number="JHZ-2026-009",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2027, 12, 31),
            agreed_places=10,
            categories=["elderly"],
            fee_basis="每人每月 2800 元",
            actor=world.users["county_a_staff"],
        )
    world.institution_a.refresh_from_db()
    assert world.institution_a.name == "东湖区社会福利院"
    assert world.institution_a.status == Institution.Status.APPROVED


def test_the_status_page_refuses_a_station_with_403_and_an_ineligible_approval_with_a_message(
    world, client_for
):
    url = reverse("inspections:institution_status", args=[world.institution_a.pk])
    data = {"status": "suspended", "reason": "检查发现重大隐患"}
    assert client_for("station_staff").post(url, data).status_code == 403
    institution = make_eligible(
        InstitutionFactory(county=world.county_a, status=Institution.Status.CANDIDATE),
        skip={DocumentKind.FIRE_SAFETY},
    )
    response = client_for("county_a_staff").post(
        reverse("inspections:institution_status", args=[institution.pk]),
        {"status": "approved", "reason": "资质审核通过"},
        follow=True,
    )
    assert "消防验收或备案" in " ".join(str(m) for m in response.context["messages"])


# Documents ---------------------------------------------------------------------------------


def test_a_pending_document_is_verified_or_rejected_by_staff_other_than_its_submitter(world):
    document = pending_document(world, world.users["institution_user"])
    for action in ("verify", "reject"):
        for persona in ("admin", "city_staff", "county_a_staff"):
            assert refusal(document_policy, action, world.users[persona], document) is None
        for persona in ("station_staff", "institution_user"):
            assert refusal(document_policy, action, world.users[persona], document) == "role"
    own = pending_document(world, world.users["county_a_staff"])
    found = document_policy.check("verify", world.users["county_a_staff"], own)
    assert found.role
    assert found.message == _("A document is verified by someone other than its submitter.")


def test_a_document_is_reviewed_once(world):
    document = pending_document(world, world.users["institution_user"])
    services.document_verify(document=document, actor=world.users["county_a_staff"])
    reason = refusal(document_policy, "reject", world.users["city_staff"], document)
    assert reason == _("This document has already been reviewed.")
    with pytest.raises(ValidationError) as error:
        services.document_reject(document=document, actor=world.users["city_staff"], reason="不清")
    assert error.value.messages == [reason]


def test_the_review_page_answers_403_to_the_submitter_and_a_message_once_reviewed(
    world, client_for
):
    own = pending_document(world, world.users["county_a_staff"])
    url = reverse("inspections:document_review", args=[own.pk])
    assert client_for("county_a_staff").post(url, {"decision": "verify"}).status_code == 403
    response = client_for("city_staff").post(url, {"decision": "verify"}, follow=True)
    assert response.status_code == 200
    response = client_for("admin").post(url, {"decision": "verify"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        _("This document has already been reviewed.")
    ]
    own.refresh_from_db()
    assert own.status == QualificationDocument.Status.VERIFIED
    assert own.reviewed_by == world.users["city_staff"]


def test_only_a_verified_document_is_renewed(world):
    user = world.users["institution_user"]
    verified = world.institution_a.documents.filter(status="verified").first()
    assert refusal(document_policy, "renew", user, verified) is None
    assert refusal(document_policy, "renew", world.users["station_staff"], verified) == "role"
    pending = pending_document(world, user)
    assert refusal(document_policy, "renew", user, pending) not in (None, "role")


# Agreements --------------------------------------------------------------------------------


def test_a_draft_for_a_placeable_institution_is_activated_by_the_station(world, frozen):
    draft = draft_for(world.institution_b, world.station)
    assert refusal(agreement_policy, "activate", world.users["station_staff"], draft) is None
    assert refusal(agreement_policy, "activate", world.users["admin"], draft) is None
    for persona in ("city_staff", "county_b_staff", "institution_user"):
        assert refusal(agreement_policy, "activate", world.users[persona], draft) == "role"


def test_activation_waits_for_the_status_the_term_and_the_institution(world, frozen):
    station = world.users["station_staff"]
    active = world.agreement_a
    assert refusal(agreement_policy, "activate", station, active) == _(
        "Only a draft or suspended agreement can be activated."
    )
    ended_term = draft_for(
        world.institution_b,
        world.station,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2026, 5, 31),
    )
    assert refusal(agreement_policy, "activate", station, ended_term) == _(
        "The agreement's term has ended."
    )
    ineligible = InstitutionFactory(county=world.county_a)
    make_eligible(ineligible, skip={DocumentKind.FIRE_SAFETY})
    draft = draft_for(ineligible, world.station)
    reason = refusal(agreement_policy, "activate", station, draft)
    assert "消防验收或备案" in reason
    with pytest.raises(ValidationError) as error:
        services.agreement_activate(agreement=draft, actor=station)
    assert error.value.messages == [reason]


def test_an_agreement_is_suspended_or_ended_until_it_has_ended(world, frozen):
    station = world.users["station_staff"]
    agreement = world.agreement_a
    assert refusal(agreement_policy, "change_status", station, agreement) is None
    assert refusal(agreement_policy, "change_status", world.users["county_a_staff"], agreement) == (
        "role"
    )
    services.agreement_change_status(
        agreement=agreement, status="ended", actor=station, reason="协议到期不再续签"
    )
    agreement.refresh_from_db()
    reason = refusal(agreement_policy, "change_status", station, agreement)
    assert reason == _("This agreement cannot move to that status.")
    with pytest.raises(ValidationError) as error:
        services.agreement_change_status(
            agreement=agreement, status="suspended", actor=station, reason="暂停"
        )
    assert error.value.messages == [reason]


def test_placements_start_only_under_an_active_agreement(world, frozen):
    station = world.users["station_staff"]
    assert refusal(agreement_policy, "place", station, world.agreement_a) is None
    assert refusal(agreement_policy, "place", world.users["city_staff"], world.agreement_a) == (
        "role"
    )
    draft = draft_for(world.institution_a, world.station)
    reason = refusal(agreement_policy, "place", station, draft)
    assert reason == _("Placements start only under an active agreement.")
    with pytest.raises(ValidationError) as error:
        services.placement_start(
            agreement=draft,
            starts_on=datetime.date(2026, 6, 1),
            people=1,
            category="elderly",
            actor=station,
        )
    assert error.value.messages == [reason]
    with pytest.raises(PermissionDenied):
        services.placement_start(
            agreement=world.agreement_a,
            starts_on=datetime.date(2026, 6, 1),
            people=1,
            category="elderly",
            actor=world.users["city_staff"],
        )


# Pages -------------------------------------------------------------------------------------


def _detail(client, institution):
    response = client.get(reverse("inspections:institution_detail", args=[institution.pk]))
    assert response.status_code == 200
    return response


def _url(name, *args):
    return reverse(f"inspections:{name}", args=args)


def test_the_page_offers_the_county_the_registry_actions_and_not_the_agreements(
    world, client_for, frozen
):
    document = pending_document(world, world.users["institution_user"])
    response = _detail(client_for("county_a_staff"), world.institution_a)
    assert response.context["actions"] == {
        "edit",
        "change_status",
        "approve",
        "upload_document",
        "create_account",
    }
    body = response.content.decode()
    a = world.institution_a.pk
    for name in ("institution_edit", "institution_status", "document_upload", "account_create"):
        assert _url(name, a) in body
    assert _url("document_review", document.pk) in body
    assert _url("agreement_create") not in body
    agreement = world.agreement_a.pk
    for name in ("agreement_activate", "agreement_status", "placement_create"):
        assert _url(name, agreement) not in body


def test_the_page_offers_the_institution_its_documents_only(world, client_for, frozen):
    document = pending_document(world, world.users["county_a_staff"])
    response = _detail(client_for("institution_user"), world.institution_a)
    assert response.context["actions"] == {"upload_document"}
    body = response.content.decode()
    a = world.institution_a.pk
    assert _url("document_upload", a) in body
    assert f"{_url('document_upload', a)}?replaces=" in body
    assert _url("document_review", document.pk) not in body
    assert _url("institution_edit", a) not in body
    assert _url("account_create", a) not in body


def test_the_page_offers_the_submitter_no_review_of_their_own_document(world, client_for):
    document = pending_document(world, world.users["county_a_staff"])
    body = _detail(client_for("county_a_staff"), world.institution_a).content.decode()
    assert _url("document_review", document.pk) not in body
    body = _detail(client_for("city_staff"), world.institution_a).content.decode()
    assert _url("document_review", document.pk) in body


def test_the_page_offers_the_station_what_the_agreement_allows_now(world, client_for, frozen):
    draft = draft_for(world.institution_a, world.station)
    ineligible = InstitutionFactory(county=world.county_a)
    make_eligible(ineligible, skip={DocumentKind.FIRE_SAFETY})
    blocked = draft_for(ineligible, world.station)
    client = client_for("station_staff")
    response = _detail(client, world.institution_a)
    assert response.context["actions"] == {"create_agreement"}
    by_pk = {agreement.pk: agreement.actions for agreement in response.context["agreements"]}
    assert by_pk[world.agreement_a.pk] == {"change_status", "place"}
    assert by_pk[draft.pk] == {"activate", "change_status"}
    body = response.content.decode()
    assert _url("agreement_create") in body
    assert _url("placement_create", world.agreement_a.pk) in body
    assert _url("agreement_activate", world.agreement_a.pk) not in body
    assert _url("agreement_activate", draft.pk) in body
    assert _url("placement_create", draft.pk) not in body
    assert _url("institution_edit", world.institution_a.pk) not in body
    body = _detail(client, ineligible).content.decode()
    assert _url("agreement_status", blocked.pk) in body
    assert _url("agreement_activate", blocked.pk) not in body


# Lists -------------------------------------------------------------------------------------


def test_the_institution_list_filters_by_eligibility_and_ignores_an_invalid_query(
    world, client_for
):
    make_eligible(
        InstitutionFactory(name="东湖区缺证托养点", county=world.county_a),
        skip={DocumentKind.FOOD_LICENCE},
    )
    client = client_for("county_a_staff")
    url = reverse("inspections:institution_list")
    names = lambda response: {i.name for i in response.context["page"]}  # noqa: E731
    assert names(client.get(url, {"eligible": "no"})) == {"东湖区缺证托养点"}
    assert "东湖区缺证托养点" not in names(client.get(url, {"eligible": "yes"}))
    # One invalid value: nothing is filtered, and the form says why.
    response = client.get(url, {"eligible": "no", "status": "nonsense"})
    assert "status" in response.context["form"].errors
    assert "东湖区社会福利院" in names(response)
    by_name = Institution.objects.filter(name__in=names(response)).order_by("name")
    assert [i.name for i in response.context["page"]] == [i.name for i in by_name]


def test_the_expiring_list_offers_the_rules_periods_and_defaults_to_the_longest(
    world, client_for, settings
):
    settings.AUDIT_RULES_OVERRIDES = json.dumps({"expiry_warning_days": [90, 30]})
    client = client_for("city_staff")
    url = reverse("inspections:document_expiring")
    response = client.get(url)
    assert (response.context["choices"], response.context["within"]) == ([30, 90], 90)
    assert client.get(url, {"within": "45"}).context["within"] == 90
    assert client.get(url, {"within": "30"}).context["within"] == 30
