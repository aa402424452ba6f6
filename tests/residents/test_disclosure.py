"""Residents are people on record: a text for publication that names one is refused."""

import pytest
from django.core.exceptions import ValidationError

from audit_portal.core.disclosure import personal_data_in, require_publishable

pytestmark = pytest.mark.django_db


def test_a_residents_name_in_a_text_for_publication_is_found(world):
    findings = personal_data_in(f"本年度托养人员{world.resident_a.name}已返乡。")
    assert [finding.shown for finding in findings] == ["张**"]
    with pytest.raises(ValidationError):
        require_publishable(f"{world.resident_b.name}情况良好")


def test_a_text_without_a_residents_name_passes(world):
    assert personal_data_in("本年度开展探视十二次") == []
