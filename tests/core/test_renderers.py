"""The form renderer writes a <select> exactly as Django's templates do, only faster."""

from django import forms
from django.forms.renderers import DjangoTemplates

from audit_portal.core.renderers import Renderer


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=[("", "All"), ("a", "A & <b>"), (1, "One")])
    grouped = forms.ChoiceField(
        choices=[("Fruit", [("apple", "Apple"), ("pear", "Pear")]), ("x", 'Quote "x"')],
        widget=forms.Select(attrs={"class": "wide", "data-x": 'a"b', "disabled": True}),
    )
    many = forms.MultipleChoiceField(choices=[("1", "一"), ("2", "二")], required=False)


def test_it_writes_the_same_markup_as_djangos_templates():
    for data in (None, {"plain": "a", "grouped": "pear", "many": ["1", "2"]}):
        fast = Sample(data, renderer=Renderer())
        slow = Sample(data, renderer=DjangoTemplates())
        for name in ("plain", "grouped", "many"):
            assert str(fast[name]) == str(slow[name])


def test_it_is_the_projects_renderer(settings):
    assert settings.FORM_RENDERER == "audit_portal.core.renderers.Renderer"
