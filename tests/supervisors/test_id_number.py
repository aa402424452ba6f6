import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from audit_portal.core.validators import (
    ID_CHECK,
    id_number_check_character,
    is_valid_id_number,
    validate_id_number,
)
from supervisors.models import mask_id_number
from tests.supervisors.factories import SupervisorFactory, make_id_number

first17 = st.text(alphabet="0123456789", min_size=17, max_size=17)


@given(first17)
def test_the_computed_check_character_always_validates(body):
    assert is_valid_id_number(body + id_number_check_character(body))


@given(first17, st.sampled_from(ID_CHECK))
def test_any_other_check_character_is_refused(body, check):
    expected = id_number_check_character(body)
    assert is_valid_id_number(body + check) == (check == expected)


@given(first17, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_changing_one_digit_is_detected(body, position, delta):
    number = body + id_number_check_character(body)
    digit = (int(number[position]) + delta) % 10
    altered = number[:position] + str(digit) + number[position + 1 :]
    assert not is_valid_id_number(altered)


@given(st.text(max_size=20).filter(lambda s: len(s) != 18))
def test_wrong_lengths_are_refused(value):
    assert not is_valid_id_number(value)


def test_a_known_number_with_x_validates():
    assert is_valid_id_number("11010519491231002X")
    with pytest.raises(ValidationError):
        validate_id_number("110105194912310021")


@given(first17)
def test_the_mask_keeps_only_the_region_and_the_last_four(body):
    number = body + id_number_check_character(body)
    masked = mask_id_number(number)
    assert masked == number[:4] + "*" * 10 + number[-4:]
    assert number[4:14] not in masked


@pytest.mark.django_db
def test_a_supervisor_with_a_bad_check_digit_is_refused():
    good = make_id_number(datetime.date(1975, 6, 15))
    wrong = next(c for c in ID_CHECK if c != good[17])
    supervisor = SupervisorFactory.build(id_number=good[:17] + wrong)
    with pytest.raises(ValidationError) as error:
        supervisor.full_clean()
    assert "id_number" in error.value.error_dict


@pytest.mark.django_db
def test_the_birth_date_must_match_the_id_number():
    supervisor = SupervisorFactory.build(
        birth_date=datetime.date(1975, 6, 15),
        id_number=make_id_number(datetime.date(1976, 6, 15)),
    )
    with pytest.raises(ValidationError) as error:
        supervisor.full_clean()
    assert "birth_date" in error.value.error_dict
