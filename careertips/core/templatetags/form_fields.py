"""Field groups with options, drawn through the form renderer."""

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from careertips.core.renderers import field_group

register = template.Library()


@register.simple_tag(name="field_group")
def field_group_tag(field: BoundField, **options: Any) -> SafeString:
    """`{% field_group form.x hide_label=True class="…" %}`: what
    `{% include "core/forms/field.html" with field=form.x … %}` draws, without the template."""
    # The renderer strips what it draws; the include keeps the blank lines the template's
    # comment and partials leave before the field, and the newline after it.
    return SafeString(f"\n\n\n{field_group(field, **options)}\n")
