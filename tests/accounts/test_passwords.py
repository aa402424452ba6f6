import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from audit_portal.accounts.validators import CharacterClassValidator


@pytest.mark.parametrize(
    "password",
    ["Short#1", "password123", "alllowercase", "ALLUPPER123", "12345678901", "abcdefgh12"],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["Jianghai#2026", "civil.Affairs9", "xunCha!zheng"])
def test_strong_passwords_pass(password):
    validate_password(password)


def test_the_refusal_is_in_chinese():
    with pytest.raises(ValidationError) as error:
        validate_password("abcdefghij")
    assert any("密码" in message for message in error.value.messages)


@given(st.text(alphabet=st.characters(categories=["Ll", "Nd"]), min_size=8, max_size=20))
def test_two_classes_are_never_enough(password):
    with pytest.raises(ValidationError):
        CharacterClassValidator(min_classes=3).validate(password)


@given(
    st.text(alphabet="ABCDEFGH", min_size=1),
    st.text(alphabet="abcdefgh", min_size=1),
    st.text(alphabet="0123456789", min_size=1),
)
def test_three_classes_are_enough(upper, lower, digits):
    CharacterClassValidator(min_classes=3).validate(upper + lower + digits)
