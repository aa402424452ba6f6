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


class Inputs(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": 'say "hi" & <go>'}))
    number = forms.IntegerField(required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    agree = forms.BooleanField(required=False)
    mail = forms.EmailField(required=False, disabled=True)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    photo = forms.FileField(required=False)


def test_inputs_and_textareas_are_written_as_djangos_templates_write_them():
    filled = {
        "text": "<script>x</script>",
        "number": "0",
        "day": "2026-12-03",
        "secret": "a&b",
        "hidden": '"q"',
        "agree": "on",
        "mail": "x@y.cn",
        "note": "第一行\n<b>二</b>",
    }
    for data in (None, filled, {"text": "", "note": ""}):
        fast = Inputs(data, renderer=Renderer())
        slow = Inputs(data, renderer=DjangoTemplates())
        for name in fast.fields:
            assert str(fast[name]) == str(slow[name]), name


def test_a_name_choice_filter_writes_the_select_django_writes(world):
    import django_filters

    from audit_portal.core.forms import NameChoiceFilter
    from inspections.models import Institution

    class Fast(django_filters.FilterSet):
        institution = NameChoiceFilter(queryset=Institution.objects.order_by("name"))

    class Slow(django_filters.FilterSet):
        institution = django_filters.ModelChoiceFilter(
            queryset=Institution.objects.order_by("name")
        )

    institutions = list(Institution.objects.order_by("name"))
    assert len(institutions) >= 2
    for data in ({}, {"institution": str(institutions[1].pk)}, {"institution": "nonsense"}):
        fast = Fast(data, queryset=Institution.objects.all()).form
        slow = Slow(data, queryset=Institution.objects.all()).form
        fast.renderer, slow.renderer = Renderer(), DjangoTemplates()
        assert str(fast["institution"]) == str(slow["institution"])
        assert fast.is_valid() == slow.is_valid()
    chosen = Fast({"institution": str(institutions[1].pk)}, queryset=Institution.objects.all())
    assert f'value="{institutions[1].pk}" selected' in str(chosen.form["institution"])
    assert chosen.form.is_valid() and chosen.form.cleaned_data["institution"] == institutions[1]
