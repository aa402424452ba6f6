"""Form errors are shown next to the field they concern (the shared form template)."""

import re

import pytest
from django.urls import reverse

from tests.inspections.factories import make_credit_code

pytestmark = pytest.mark.django_db


def test_an_error_is_shown_in_its_fields_block(world, client_for):
    code = make_credit_code(999)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = client_for("county_a_staff").post(
        reverse("inspections:institution_create"),
        {"name": "东湖区阳光护理院", "credit_code": wrong, "county": world.county_a.pk},
    )
    page = response.content.decode()
    block = re.search(
        r'<div class="field field--error">\s*<label for="id_credit_code">.*?</div>', page, re.S
    )
    assert block, "the credit code field is not marked as in error"
    assert 'id="id_credit_code_errors"' in block.group(0)
    assert "校验码" in block.group(0)
    # Fields without an error carry no error list.
    assert 'id="id_name_errors"' not in page
