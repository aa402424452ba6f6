"""The guard on the way into the security log: no full ID number, token or password is stored,
whatever a caller puts into the free-text fields."""

import pytest

from audit_portal.security.events import record, redact
from audit_portal.security.models import SecurityEvent

pytestmark = pytest.mark.django_db

ID_NUMBER = "32010219750615123X"
TOKEN = "ap_Qm9vZ2xlLXRva2VuLXRoYXQtaXMtbG9uZy1lbm91Z2g"


def test_an_id_number_keeps_only_its_region_and_last_four():
    assert redact(f"显示身份证号{ID_NUMBER}给张三") == "显示身份证号3201**********123X给张三"


def test_an_old_fifteen_digit_id_number_is_masked_too():
    assert redact("id 320102750615123") == "id 3201*******5123"


def test_a_phone_number_and_a_record_number_are_left_alone():
    assert redact("phone 13800000000, supervisor 12") == "phone 13800000000, supervisor 12"


def test_a_long_token_keeps_only_its_first_four_characters():
    assert redact(f"Bearer {TOKEN}") == "Bearer ap_Q…"


def test_a_uuid_is_not_taken_for_a_token():
    value = "file 0b7c1c1e-2f0a-4c4e-9d7e-1f2a3b4c5d6e"
    assert redact(value) == value


def test_a_value_given_for_a_password_or_token_is_replaced_whatever_its_length():
    assert redact("password=hunter2 otp: 123456") == "password=*** otp: ***"


def test_record_masks_every_free_text_field_before_saving():
    event = record(
        SecurityEvent.Kind.LOGIN_FAILED,
        username=ID_NUMBER,
        target=f"token {TOKEN}",
        detail=f"typed {ID_NUMBER} password=Secret#123",
        outcome=SecurityEvent.Outcome.FAILURE,
    )
    event.refresh_from_db()
    stored = f"{event.username} {event.target} {event.detail}"
    assert ID_NUMBER not in stored
    assert TOKEN not in stored
    assert "Secret#123" not in stored
    assert event.username == "3201**********123X"


def test_an_unknown_kind_or_outcome_is_a_programming_error():
    with pytest.raises(ValueError):
        record("made_up")
    with pytest.raises(ValueError):
        record(SecurityEvent.Kind.LOGIN, outcome="maybe")
    assert not SecurityEvent.objects.exists()


def test_long_text_is_cut_to_the_column():
    event = record(SecurityEvent.Kind.PERMISSION_DENIED, detail="词" * 400, target="页" * 300)
    event.refresh_from_db()
    assert (len(event.detail), len(event.target)) == (300, 200)
