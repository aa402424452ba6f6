import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from audit_portal.core.validators import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_character,
    is_valid_credit_code,
    validate_credit_code,
)

first17 = st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17)


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L"])
def test_published_codes_are_valid(code):
    assert is_valid_credit_code(code)
    validate_credit_code(code)


@given(first17)
def test_a_code_with_its_check_character_is_valid(body):
    assert is_valid_credit_code(body + credit_code_check_character(body))


@given(first17, st.integers(min_value=0, max_value=17), st.sampled_from(CREDIT_CODE_ALPHABET))
def test_changing_any_one_character_breaks_the_code(body, position, replacement):
    code = body + credit_code_check_character(body)
    corrupted = code[:position] + replacement + code[position + 1 :]
    if corrupted != code:
        assert not is_valid_credit_code(corrupted)


@given(first17, st.integers(min_value=0, max_value=15))
def test_swapping_two_neighbours_is_caught(body, position):
    code = body + credit_code_check_character(body)
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    if swapped != code:
        assert not is_valid_credit_code(swapped)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "18"),
        ("91350100M000100Y4I", "I"),
        ("91350100M000100Y44", "校验"),
    ],
)
def test_invalid_codes_are_refused_with_a_chinese_reason(code, message):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert message in " ".join(error.value.messages)
