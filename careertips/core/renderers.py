"""The project's form renderer: every form and field is drawn by core's templates."""

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    """`{{ form }}` and `{{ form.x.as_field_group }}` use core/forms/: one field partial, with
    the label tied to the widget and help text and errors named in aria-describedby."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
