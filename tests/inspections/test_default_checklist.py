"""The default checklist shipped by the data migration (DOMAIN §2 and seed 004): every area of
the inspection, the winter hazards among them, in Chinese, with guidance and critical items."""

import pytest

from inspections.models import Area
from tests.inspections.factories import default_template

pytestmark = pytest.mark.django_db


def test_it_has_items_for_the_seven_areas_and_the_winter_checks():
    items = list(default_template().items.all())
    assert {item.area for item in items} == set(Area.values)
    assert len(Area.values) == 8


def test_every_item_is_in_chinese_with_guidance():
    for item in default_template().items.all():
        assert any("\u4e00" <= char <= "\u9fff" for char in item.text), item.text
        assert item.guidance.strip(), item.text


def test_some_items_are_critical_and_most_are_not():
    flags = [item.critical for item in default_template().items.all()]
    assert any(flags) and not all(flags)


def test_it_is_the_first_version_in_use():
    template = default_template()
    assert (template.version, template.status) == (1, "active")
