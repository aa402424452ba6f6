"""``{% memo %}``: a block's markup written once for the same data, never shown for other data."""

import dataclasses
import datetime

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import translation

from audit_portal.core import fragments
from inspections.models import Institution, Issue
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty():
    fragments.kept.clear()
    yield
    fragments.kept.clear()


def _institution():
    return Institution.objects.select_related("county").order_by("pk").first()


def test_the_same_data_is_rendered_once_and_other_data_again(world):
    calls = []

    def render(text):
        calls.append(text)
        return text

    institution = _institution()
    first = fragments.rendered("t:1", (institution,), lambda: render("a"))
    again = fragments.rendered("t:1", (_institution(),), lambda: render("b"))
    assert (first, again, calls) == ("a", "a", ["a"])
    # The same row with one field changed is other data.
    institution.name += "（新）"
    assert fragments.rendered("t:1", (institution,), lambda: render("c")) == "c"
    # So is a change in a related row fetched with it (select_related).
    other = _institution()
    other.county.name += "（新）"
    assert fragments.rendered("t:1", (other,), lambda: render("d")) == "d"
    # Another place in the templates keeps its own markup for the same data.
    assert fragments.rendered("t:2", (_institution(),), lambda: render("e")) == "e"


def test_the_language_is_part_of_what_is_shown():
    with translation.override("zh-hans"):
        chinese = fragments.digest([1, "x"])
    with translation.override("en"):
        english = fragments.digest([1, "x"])
    assert chinese != english


def test_the_time_zone_is_part_of_what_is_shown():
    from django.utils import timezone

    with timezone.override("Asia/Shanghai"):
        shanghai = fragments.digest([1])
    with timezone.override("UTC"):
        utc = fragments.digest([1])
    assert shanghai != utc


def test_values_are_told_apart_by_type_and_structure():
    @dataclasses.dataclass
    class Row:
        value: object

    digests = {
        fragments.digest(value)
        for value in (
            1,
            True,
            "1",
            1.0,
            [1],
            (1, None),
            Row(1),
            Row("1"),
            {"a": 1},
            datetime.date(2026, 1, 1),
            datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        )
    }
    assert len(digests) == 11


def test_a_value_it_cannot_describe_is_refused_not_guessed():
    class Opaque:
        pass

    with pytest.raises(fragments.Unsupported):
        fragments.digest(Opaque())


def test_the_memory_kept_is_bounded(monkeypatch):
    monkeypatch.setattr(fragments.kept, "limit", 800)
    for n in range(20):
        fragments.rendered("t:1", (n,), lambda n=n: f"{n:0>90}")
    assert fragments.kept.size <= 800
    assert len(fragments.kept.items) == 8
    # The latest are kept, the oldest dropped.
    assert fragments.rendered("t:1", (19,), lambda: "again") == f"{19:0>90}"
    assert fragments.rendered("t:1", (0,), lambda: "again") == "again"


def test_the_tag_renders_its_block_for_the_values_it_names(world):
    template = Template(
        "{% load memo %}{% memo institution %}{{ institution.name }}·{{ note }}{% endmemo %}"
        "|{% memo institution %}{{ institution.credit_code }}{% endmemo %}"
    )
    institution = _institution()
    shown = template.render(Context({"institution": institution, "note": "一"}))
    assert shown == f"{institution.name}·一|{institution.credit_code}"
    # A value the block does not name does not make other markup (the author's duty)...
    assert template.render(Context({"institution": institution, "note": "二"})) == shown
    # ...a value it names does.
    institution.name = "新名称"
    assert template.render(Context({"institution": institution, "note": "二"})).startswith(
        "新名称·二|"
    )


def test_the_tag_needs_its_values():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load memo %}{% memo %}x{% endmemo %}")


def test_the_ledger_shows_an_issue_changed_since_the_last_page(world, client):
    staff = world.users["city_staff"]
    sign_in(client, staff)
    url = reverse("inspections:issue_ledger")
    issue = Issue.objects.filter(institution__county__parent=staff.organisation).first()
    assert issue is not None
    client.get(url)
    Issue.objects.filter(pk=issue.pk).update(description="消防通道堆放杂物（已复查）")
    assert "消防通道堆放杂物（已复查）" in client.get(url).content.decode()
