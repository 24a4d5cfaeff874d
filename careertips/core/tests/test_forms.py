"""The one field partial (core/forms/field.html) that every form's fields are drawn with."""

from django import forms
from django.template import Context, Template

from careertips.core.abuse import HoneypotMixin


class _Form(forms.Form):
    name = forms.CharField(help_text="As people know you.")
    email = forms.EmailField(required=False)
    agree = forms.BooleanField(label="I agree")
    colour = forms.ChoiceField(choices=[("r", "Red"), ("g", "Green")], widget=forms.RadioSelect)
    token = forms.CharField(widget=forms.HiddenInput, required=False)


class _Public(HoneypotMixin, forms.Form):
    message = forms.CharField()


def _render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_it_ties_the_label_help_and_errors_to_the_widget():
    form = _Form(data={"email": "nope"})
    html = _render("{{ form.name.as_field_group }}", form=form)
    assert '<div class="field field-error">' in html
    assert '<label for="id_name">Name:</label>' in html
    assert '<div class="helptext" id="id_name_helptext">As people know you.</div>' in html
    assert '<ul class="errorlist" id="id_name_error"><li>This field is required.</li></ul>' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert "required" in html.split("<input", 1)[1]


def test_it_leaves_a_valid_field_unmarked():
    html = _render("{{ form.email.as_field_group }}", form=_Form(data={"email": "a@b.example"}))
    assert '<div class="field">' in html
    assert "aria-invalid" not in html
    assert "errorlist" not in html


def test_it_puts_a_checkbox_before_its_label():
    html = _render("{{ form.agree.as_field_group }}", form=_Form())
    assert '<div class="field field-check">' in html
    assert html.index('type="checkbox"') < html.index(
        '<label for="id_agree" class="checkbox-label">I agree</label>'
    )


def test_it_groups_choices_in_a_fieldset_named_by_a_legend():
    html = _render("{{ form.colour.as_field_group }}", form=_Form())
    assert "<fieldset>" in html
    assert "<legend>Colour:</legend>" in html


def test_it_takes_a_label_a_hidden_label_and_classes():
    html = _render(
        '{% include "core/forms/field.html" with field=form.email label="Your email" '
        'hide_label=True class="narrow" %}',
        form=_Form(),
    )
    assert '<div class="field narrow">' in html
    assert '<label for="id_email" class="visually-hidden">Your email</label>' in html


def test_it_marks_an_optional_field():
    html = _render(
        '{% include "core/forms/field.html" with field=form.email optional=True %}', form=_Form()
    )
    assert '<label for="id_email">Email <span class="muted small">(optional)</span></label>' in html


def test_it_draws_a_whole_form_with_hidden_fields_and_form_errors():
    form = _Form(data={"token": "x"})
    form.add_error(None, "Something is off.")
    html = _render("{{ form }}", form=form)
    assert '<ul class="errorlist nonfield" role="alert"><li>Something is off.</li></ul>' in html
    assert '<input type="hidden" name="token"' in html
    assert html.count('<div class="field') == 4


def test_it_keeps_the_honeypot_out_of_sight():
    html = _render("{{ form }}", form=_Public())
    assert '<div class="hp" aria-hidden="true">' in html
    assert 'tabindex="-1"' in html
    assert html.count('<div class="field') == 1
