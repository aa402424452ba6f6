import datetime

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from inspections.dates import add_years, latest_start_for_anniversary
from inspections.models import DocumentKind, Institution, QualificationDocument
from inspections.selectors import with_eligibility
from tests.inspections.factories import DocumentFactory, InstitutionFactory, make_eligible

pytestmark = pytest.mark.django_db
D = datetime.date


def eligible_institution(**fields):
    return make_eligible(InstitutionFactory(**fields), food_licence_until=D(2026, 11, 23))


def check(institution, key, on):
    return next(c for c in institution.eligibility(on).checks if c.key == key)


def db_says(institution, on) -> bool:
    return with_eligibility(Institution.objects.filter(pk=institution.pk), on).get().is_eligible


def test_an_institution_with_every_document_is_eligible():
    institution = eligible_institution()
    assert institution.eligibility(D(2026, 6, 1)).eligible
    assert db_says(institution, D(2026, 6, 1))


@pytest.mark.parametrize(
    ("on", "eligible"),
    [(D(2026, 3, 14), False), (D(2026, 3, 15), True), (D(2026, 3, 16), True)],
)
def test_one_year_of_operation_counts_the_anniversary_itself(on, eligible):
    institution = eligible_institution(operation_started_on=D(2025, 3, 15))
    assert check(institution, "operation", on).ok is eligible
    assert institution.eligibility(on).eligible is eligible
    assert db_says(institution, on) is eligible


def test_the_reason_says_how_long_it_has_operated_and_until_when():
    institution = eligible_institution(operation_started_on=D(2025, 3, 15))
    detail = check(institution, "operation", D(2026, 3, 1)).detail
    assert "11" in detail
    assert "2026-03-15" in detail


def test_the_operation_condition_names_the_years_of_the_rules():
    institution = eligible_institution(operation_started_on=D(2025, 3, 15))
    operation = check(institution, "operation", D(2026, 3, 1))
    assert operation.label == "正常运营一年以上"
    assert operation.detail == "已运营 11 个月，满一年日期为 2026-03-15"
    with override_settings(AUDIT_RULES_OVERRIDES={"min_operation_years": 2}):
        operation = check(institution, "operation", D(2026, 6, 1))
        assert operation.label == "正常运营2年以上"
        assert not operation.ok
        assert operation.detail == "已运营 14 个月，满2年日期为 2027-03-15"


@pytest.mark.parametrize(("on", "eligible"), [(D(2026, 11, 23), True), (D(2026, 11, 24), False)])
def test_a_licence_is_valid_on_its_expiry_day_and_not_after(on, eligible):
    institution = eligible_institution()
    food = check(institution, DocumentKind.FOOD_LICENCE, on)
    assert food.ok is eligible
    assert db_says(institution, on) is eligible
    if not eligible:
        assert "2026-11-23" in food.detail


def test_an_unverified_document_does_not_count():
    institution = InstitutionFactory()
    make_eligible(institution)
    institution.documents.filter(kind=DocumentKind.FIRE_SAFETY).update(
        status=QualificationDocument.Status.PENDING, reviewed_by=None
    )
    fire = check(institution, DocumentKind.FIRE_SAFETY, D(2026, 6, 1))
    assert not fire.ok
    assert fire.detail == "尚未核验"
    assert not db_says(institution, D(2026, 6, 1))


def test_a_missing_document_is_named():
    institution = InstitutionFactory()
    DocumentFactory(institution=institution, kind=DocumentKind.LEGAL_PERSON)
    eligibility = institution.eligibility(D(2026, 6, 1))
    failing = {c.key for c in eligibility.failing}
    assert DocumentKind.FOOD_LICENCE in failing
    assert DocumentKind.LEGAL_PERSON not in failing
    assert check(institution, DocumentKind.FOOD_LICENCE, D(2026, 6, 1)).detail == "缺失"


def test_a_rejected_document_gives_the_rejection_reason():
    institution = InstitutionFactory()
    DocumentFactory(
        institution=institution,
        kind=DocumentKind.FIRE_SAFETY,
        status=QualificationDocument.Status.REJECTED,
        rejection_reason="缺少印章",
    )
    assert "缺少印章" in check(institution, DocumentKind.FIRE_SAFETY, D(2026, 6, 1)).detail


def test_an_expired_licence_with_a_pending_renewal_says_so():
    institution = eligible_institution()
    old = institution.documents.get(kind=DocumentKind.FOOD_LICENCE)
    DocumentFactory(
        institution=institution,
        kind=DocumentKind.FOOD_LICENCE,
        valid_from=D(2026, 11, 20),
        valid_until=D(2031, 11, 19),
        status=QualificationDocument.Status.PENDING,
        replaces=old,
    )
    food = check(institution, DocumentKind.FOOD_LICENCE, D(2026, 12, 1))
    assert not food.ok
    assert "待核验" in food.detail


@settings(max_examples=200, deadline=None)
@given(st.dates(D(2000, 1, 1), D(2040, 12, 31)), st.integers(min_value=-400, max_value=800))
def test_the_database_cut_off_matches_the_anniversary_rule(start, offset):
    on = start + datetime.timedelta(days=offset)
    cutoff = latest_start_for_anniversary(on, 1)
    assert (start <= cutoff) == (add_years(start, 1) <= on)


def test_29_february_reaches_its_anniversary_on_28_february():
    assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
    assert latest_start_for_anniversary(D(2025, 2, 28), 1) == D(2024, 2, 29)
