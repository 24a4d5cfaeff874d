"""The form renderer draws Django's commonest widget, label and error templates in Python:
each must give what the template gives, and anything unusual must go to the template."""

import datetime as dt
from pathlib import Path

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from careertips.core import renderers
from careertips.core.renderers import FormRenderer

NASTY = 'Ann "A" <Bell>, O\'Neil & Co'


class EveryWidget(forms.Form):
    name = forms.CharField(label=NASTY, help_text="Help", max_length=20)
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"placeholder": NASTY}))
    url = forms.URLField(required=False)
    count = forms.IntegerField(required=False, widget=forms.NumberInput(attrs={"min": 1}))
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.DateTimeField(required=False)
    at = forms.TimeField(required=False)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    safe = forms.CharField(label=mark_safe("<em>Safe</em> label"), required=False)
    lazy = forms.CharField(label=gettext_lazy("Lazy label"), required=False)
    pick = forms.MultipleChoiceField(
        choices=[("a", NASTY), ("b", "B")], required=False, widget=forms.CheckboxSelectMultiple
    )
    one = forms.ChoiceField(choices=[("a", NASTY), ("b", "B")], widget=forms.RadioSelect)
    agree = forms.BooleanField(required=False, help_text="Tick <b>it</b>")
    plain_box = forms.BooleanField(label=NASTY, required=False)
    kind = forms.ChoiceField(choices=[("", "Choose…"), ("a&b", NASTY), ("c", "C")], required=False)
    hour = forms.TypedChoiceField(
        choices=[(h, f"{h:02d}:00") for h in range(3)], coerce=int, required=False
    )
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)
    sections = forms.ChoiceField(choices=[(NASTY, [("a", "A")]), ("c", "C")], required=False)
    lazy_pick = forms.ChoiceField(choices=[("a", gettext_lazy("Lazy"))], required=False)
    maybe = forms.NullBooleanField(required=False)


DATA = {
    "name": NASTY, "email": "not an address", "url": "", "count": "3", "secret": "s<3",
    "day": "2026-12-06", "when": "2026-12-06 10:00", "at": "10:00", "hidden": "h&h",
    "note": f"\n{NASTY}\n  ", "pick": ["a"], "one": "b", "agree": "on", "kind": "a&b",
    "hour": "2", "many": ["a", "b"], "sections": "a", "maybe": "true",
}  # fmt: skip
INITIAL = {"day": dt.date(2026, 12, 6), "count": 1000, "note": "", "name": "x", "hour": 1}


def _both(**kwargs) -> tuple[str, str]:
    """Every field and label drawn by Django's templates and by the project's renderer."""

    def draw(renderer) -> str:
        form = EveryWidget(renderer=renderer, **kwargs)
        parts = []
        for field in form:
            parts += [str(field), field.label_tag(), str(field.errors)]
            parts += [widget.tag() for widget in field.subwidgets if field.name in ("pick", "one")]
        parts.append(str(form.non_field_errors()))
        return "\n".join(parts)

    return draw(DjangoTemplates()), draw(FormRenderer())


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"initial": INITIAL}, {"data": DATA}, {"data": {}}],
    ids=["empty", "initial", "bound", "invalid"],
)
def test_it_draws_what_djangos_templates_draw(kwargs):
    django, ours = _both(**kwargs)
    assert ours == django


@pytest.mark.parametrize(
    "kwargs", [{}, {"data": DATA}, {"data": {}}], ids=["empty", "bound", "invalid"]
)
def test_it_draws_the_field_partial_as_its_template_does(kwargs):
    renderer = FormRenderer()
    form = EveryWidget(renderer=renderer, **kwargs)
    for field in form:
        context = field.get_context()
        template = DjangoTemplates.render(renderer, "core/forms/field.html", context)
        assert renderer.render("core/forms/field.html", context) == template, field.name


def test_it_escapes_values_labels_and_attributes():
    _django, ours = _both(data=DATA)
    assert NASTY not in ours
    assert "Ann &quot;A&quot; &lt;Bell&gt;, O&#x27;Neil &amp; Co" in ours
    assert "<em>Safe</em> label" in ours


def test_it_leaves_unusual_values_to_the_template(monkeypatch):
    drawn = []
    monkeypatch.setattr(
        DjangoTemplates, "render", lambda self, name, context, request=None: drawn.append(name)
    )
    renderer = FormRenderer()
    label = {"label": gettext_lazy("Lazy"), "use_tag": True, "attrs": {}, "tag": "label"}
    renderer.render("django/forms/label.html", label)
    widget = {"type": "date", "name": "day", "value": dt.date(2026, 12, 6), "attrs": {}}
    renderer.render("django/forms/widgets/date.html", {"widget": widget})
    renderer.render("django/forms/errors/list/default.html", {"errors": ["Wrong"]})
    assert renderer.render("django/forms/errors/list/default.html", {"errors": []}) == ""
    assert renderer.render("django/forms/label.html", {**label, "label": "Plain"}) == (
        "<label>Plain</label>"
    )
    assert drawn == [
        "django/forms/label.html",
        "django/forms/widgets/date.html",
        "django/forms/errors/list/default.html",
    ]


def test_it_knows_only_templates_that_include_the_input_template():
    root = Path(forms.__file__).parent / "templates"
    for name, draw in renderers.FAST.items():
        if draw is renderers._input and not name.endswith("/input.html"):
            text = (root / name).read_text()
            assert text.strip() == '{% include "django/forms/widgets/input.html" %}', name


def test_it_knows_only_templates_the_project_leaves_to_django():
    root = str(Path(forms.__file__).parent / "templates")
    renderer = FormRenderer()
    for name in renderers.FAST:
        if name.startswith("django/"):
            assert renderer.get_template(name).template.origin.name.startswith(root), name


OPTIONS = [
    {},
    {"hide_label": True},
    {"label": NASTY},
    {"optional": True, "class": "wide"},
    {"hide_label": True, "class": "debrief-theme-detail"},
    {"label": "Other", "hide_label": True, "optional": True},
]


@pytest.mark.parametrize("options", OPTIONS, ids=lambda options: ",".join(options) or "none")
@pytest.mark.parametrize(
    "kwargs", [{}, {"data": DATA}, {"data": {}}], ids=["empty", "bound", "invalid"]
)
def test_it_draws_a_field_group_with_options_as_the_include_does(kwargs, options):
    renderer = FormRenderer()
    form = EveryWidget(renderer=renderer, **kwargs)
    for field in form:
        context = {"field": field, **options}
        template = DjangoTemplates.render(renderer, "core/forms/field.html", context)
        assert renderers.field_group(field, **options) == template, field.name


def test_it_leaves_a_field_group_with_a_lazy_label_to_the_template(monkeypatch):
    drawn = []
    monkeypatch.setattr(
        DjangoTemplates,
        "render",
        lambda self, name, context, request=None: drawn.append(name) or "",
    )
    field = EveryWidget(renderer=FormRenderer())["name"]
    renderers.field_group(field, label=gettext_lazy("Lazy"))
    renderers.field_group(field, label="Plain")
    assert drawn == ["core/forms/field.html"]


class Choices(forms.Form):
    plain = forms.ChoiceField(
        choices=[("a", NASTY), ("b", "B")], widget=forms.RadioSelect(attrs={"class": "x<y"})
    )
    grouped = forms.MultipleChoiceField(
        choices=[(NASTY, [("a", "A"), ("b", "B")]), ("c", "C")],
        widget=forms.CheckboxSelectMultiple,
    )
    unnamed = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect(attrs={"id": ""}))


@pytest.mark.parametrize("kwargs", [{}, {"data": {"plain": "a", "grouped": ["b"]}}])
def test_it_draws_radio_buttons_and_checkboxes_as_their_templates_do(kwargs):
    for name in ("plain", "grouped", "unnamed"):
        django = str(Choices(renderer=DjangoTemplates(), **kwargs)[name])
        assert str(Choices(renderer=FormRenderer(), **kwargs)[name]) == django, name


def test_it_draws_a_labelled_option_as_its_template_does():
    option = Choices()["plain"].field.widget.get_context("plain", "a", {"id": "id_plain"})
    for group_option in option["widget"]["optgroups"][0][1]:
        context = {"widget": group_option}
        name = "django/forms/widgets/radio_option.html"
        assert FormRenderer().render(name, context) == DjangoTemplates().render(name, context)


def test_it_knows_only_templates_that_draw_the_multiple_input_template():
    root = Path(forms.__file__).parent / "templates"
    for name, draw in renderers.FAST.items():
        if draw is renderers._multiple_input and not name.endswith("/multiple_input.html"):
            text = (root / name).read_text()
            assert text.strip() == '{% include "django/forms/widgets/multiple_input.html" %}'


def test_it_draws_menus_and_checkbox_fields_itself_and_leaves_groups_to_the_template(
    monkeypatch,
):
    drawn = []
    draw = DjangoTemplates.render
    monkeypatch.setattr(
        DjangoTemplates,
        "render",
        lambda self, name, context, request=None: drawn.append(name) or draw(self, name, context),
    )
    form = EveryWidget(renderer=FormRenderer(), data=DATA)
    for name in ("kind", "hour", "many", "agree", "plain_box"):
        renderers.field_group(form[name])
    assert drawn == []
    str(form["sections"])
    str(form["lazy_pick"])
    str(form["maybe"])  # its labels are translated lazily
    assert drawn == ["django/forms/widgets/select.html"] * 3
