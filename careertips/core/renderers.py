"""The project's form renderer: every form and field is drawn by core's templates."""

import html
from collections.abc import Callable
from typing import Any

from django.forms import BoundField
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

_Fast = Callable[[dict[str, Any]], str | None]


class PageBoundField(BoundField):
    """A field as the project's pages draw it: a hidden input (such as the initial value
    Django keeps beside a field with a changing default) names no help text or errors, which
    only a visible widget may point at."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        if (widget or self.field.widget).is_hidden:
            attrs.pop("aria-describedby", None)
        return attrs


class FormRenderer(DjangoTemplates):
    """`{{ form }}` and `{{ form.x.as_field_group }}` use core/forms/: one field partial, with
    the label tied to the widget and help text and errors named in aria-describedby.

    A page of forms renders Django's small widget, label and error templates dozens of times,
    and each render costs more than the markup it makes. The commonest (FAST below) are
    written here in Python with the same output, byte for byte; any value that is not plain
    text or a number (a lazy translation, a date) still goes through the template."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = PageBoundField

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        fast = FAST.get(template_name)
        if fast is not None:
            output = fast(context)
            if output is not None:
                return output
        return super().render(template_name, context, request)


def _plain(value: Any) -> bool:
    """Text or a number: what the templates print as str(value) would."""
    return isinstance(value, str | int | float)


def _text(value: Any) -> bool:
    """Text: what the templates print as it is ({{ x }} would localize a number)."""
    return isinstance(value, str)


def _escape(value: Any) -> str:
    """The templates' autoescape: safe strings as they are, anything else escaped."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _attrs(attrs: dict[str, Any]) -> str | None:
    """django/forms/attrs.html and django/forms/widgets/attrs.html."""
    if not all(_plain(name) and _plain(value) for name, value in attrs.items()):
        return None
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _errors(context: dict[str, Any]) -> str | None:
    """django/forms/errors/list/*.html draw nothing for an empty list (most fields)."""
    return "" if not context.get("errors") else None


def _input(context: dict[str, Any]) -> str | None:
    """django/forms/widgets/input.html (text, email, date, …)."""
    widget = context["widget"]
    value, attrs = widget["value"], _attrs(widget["attrs"])
    if attrs is None or not (value is None or _plain(value)):
        return None
    shown = "" if value is None else f' value="{_escape(value)}"'
    return (
        f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"{shown}{attrs}>'
    )


def _input_option(context: dict[str, Any]) -> str | None:
    """django/forms/widgets/input_option.html: one checkbox or radio button."""
    widget = context["widget"]
    tag = _input(context)
    if tag is None or not widget["wrap_label"]:
        return tag
    if not _text(widget["label"]):
        return None
    target = widget["attrs"].get("id")
    label_for = f' for="{_escape(target)}"' if target else ""
    # input.html ends in a newline, which the label keeps.
    return f"<label{label_for}>{tag}\n {_escape(widget['label'])}</label>"


OPTION_TEMPLATES = {
    "django/forms/widgets/radio_option.html",
    "django/forms/widgets/checkbox_option.html",
}


def _multiple_input(context: dict[str, Any]) -> str | None:
    """django/forms/widgets/multiple_input.html (radio buttons, checkboxes) with its options,
    when they are not in groups."""
    widget = context["widget"]
    ident, css = widget["attrs"].get("id"), widget["attrs"].get("class")
    if not all(value is None or _plain(value) for value in (ident, css)):
        return None
    parts = [
        "<div",
        f' id="{_escape(ident)}"' if ident else "",
        f' class="{_escape(css)}"' if css else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            return None
        for option in options:
            drawn = _input_option({"widget": option})
            if drawn is None or option["template_name"] not in OPTION_TEMPLATES:
                return None
            # The included templates' own last newlines: input.html's stays inside the label.
            end = "\n\n" if option["wrap_label"] else "\n\n\n"
            parts.append(f"<div>\n    {drawn}{end}</div>")
    parts.append("\n</div>")
    return "".join(parts)


def _textarea(context: dict[str, Any]) -> str | None:
    """django/forms/widgets/textarea.html."""
    widget = context["widget"]
    value, attrs = widget["value"], _attrs(widget["attrs"])
    if attrs is None or not (not value or _text(value)):
        return None
    text = _escape(value) if value else ""
    return f'<textarea name="{_escape(widget["name"])}"{attrs}>\n{text}</textarea>'


def _label(context: dict[str, Any]) -> str | None:
    """django/forms/label.html (the renderer strips what it returns)."""
    label = context["label"]
    if not _text(label):
        return None
    if not context["use_tag"]:
        return _escape(label).strip()
    attrs = _attrs(context["attrs"] or {})
    if attrs is None:
        return None
    tag = _escape(context["tag"])
    return f"<{tag}{attrs}>{_escape(label)}</{tag}>"


def _field(context: dict[str, Any]) -> str | None:
    """core/forms/field.html as `{{ form.x.as_field_group }}` or field_group() draws it, with
    its options (label, hide_label, optional, class)."""
    field = context["field"]
    if not context.keys() <= OPTIONS:
        return None
    text, hide, optional = context.get("label"), context.get("hide_label"), context.get("optional")
    extra = context.get("class")
    if (text and not _text(text)) or (extra and not _text(extra)):
        return None
    fieldset = field.use_fieldset
    if field.widget_type == "checkbox":
        return None if fieldset else _checkbox_field(field, text, hide, optional, extra)
    if hide or text or optional:
        tag = "legend" if fieldset else "label"
        opening = "<legend" if fieldset else f'<label for="{_escape(field.id_for_label)}"'
        css = ' class="visually-hidden"' if hide else ""
        label = f"\n    {opening}{css}>{_label_text(field, text, optional)}</{tag}>\n  "
    elif fieldset:
        label = f"{field.legend_tag()}\n  "
    else:
        label = f"{field.label_tag()}\n  " if field.label else ""
    errors = field.errors
    wrapper = _wrapper("field", errors, extra)
    inner = f"\n  {label}\n{_help(field)}{errors}{field}"
    if fieldset:
        described = field.aria_describedby
        aria = f' aria-describedby="{_escape(described)}"' if described else ""
        return f'<div class="{wrapper}">\n\n  <fieldset{aria}>{inner}</fieldset>\n\n</div>'
    return f'<div class="{wrapper}">\n\n  {inner}\n\n</div>'


def _label_text(field: BoundField, text: Any, optional: Any) -> str:
    """A label's text as field.html writes it: the one given, or the field's; its mark."""
    shown = _escape(text) if text else conditional_escape(field.label)
    return f'{shown} <span class="muted small">(optional)</span>' if optional else shown


def _wrapper(base: str, errors: Any, extra: Any) -> str:
    """The field's <div> classes: its kind, marked when it has errors, and any given."""
    wrapper = f"{base} field-error" if errors else base
    return f"{wrapper} {_escape(extra)}" if extra else wrapper


def _help(field: BoundField) -> str:
    if not field.help_text:
        return ""
    help_id = f' id="{_escape(field.auto_id)}_helptext"' if field.auto_id else ""
    return f'<div class="helptext"{help_id}>{field.help_text}</div>'


def _checkbox_field(field: BoundField, text: Any, hide: Any, optional: Any, extra: Any) -> str:
    """field.html's checkbox branch: the box, then its label."""
    target = _escape(field.id_for_label)
    shown = _label_text(field, text, optional)
    if hide or text or optional:
        css = "visually-hidden" if hide else "checkbox-label"
        label = f'\n  \n    <label for="{target}" class="{css}">{shown}</label>\n  \n'
    else:
        label = f'\n  <label for="{target}" class="checkbox-label">{shown}</label>\n  \n'
    errors = field.errors
    wrapper = _wrapper("field field-check", errors, extra)
    return f'<div class="{wrapper}">\n\n  {field} {label}{_help(field)}{errors}\n\n</div>'


def _select(context: dict[str, Any]) -> str | None:
    """django/forms/widgets/select.html with its options, when they are not in groups."""
    widget = context["widget"]
    attrs = _attrs(widget["attrs"])
    if attrs is None:
        return None
    parts = [f'<select name="{_escape(widget["name"])}"{attrs}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            return None
        for option in options:
            drawn = _option(option)
            if drawn is None:
                return None
            parts.append(f"\n  {drawn}\n")  # select_option.html's own last newline
    parts.append("\n</select>")
    return "".join(parts)


def _option(option: dict[str, Any]) -> str | None:
    """django/forms/widgets/select_option.html."""
    value, label = option["value"], option["label"]
    attrs = _attrs(option["attrs"])
    if option["template_name"] != SELECT_OPTION or attrs is None or not _plain(value):
        return None
    if not _text(label):
        return None
    # stringformat:'s' gives plain text, escaped whatever the value was.
    return f'<option value="{html.escape(str(value))}"{attrs}>{_escape(label)}</option>'


SELECT_OPTION = "django/forms/widgets/select_option.html"
OPTIONS = {"field", "label", "hide_label", "optional", "class"}


def field_group(field: BoundField, **options: Any) -> SafeString:
    """`{% include "core/forms/field.html" with field=… %}` drawn through the renderer, so the
    common cases skip the template: options as the template names them (label, hide_label,
    optional, class)."""
    html: SafeString = field.render(context={"field": field, **options})  # escaped, marked safe
    return html


FAST: dict[str, _Fast] = {
    "core/forms/field.html": _field,
    "django/forms/errors/list/default.html": _errors,
    "django/forms/errors/list/ul.html": _errors,
    "django/forms/label.html": _label,
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/checkbox_option.html": _input_option,
    "django/forms/widgets/radio_option.html": _input_option,
    "django/forms/widgets/radio.html": _multiple_input,
    "django/forms/widgets/checkbox_select.html": _multiple_input,
    "django/forms/widgets/multiple_input.html": _multiple_input,
    "django/forms/widgets/select.html": _select,
    **{
        f"django/forms/widgets/{name}.html": _input
        for name in (
            "input", "text", "email", "url", "number", "password", "search", "tel",
            "date", "datetime", "time", "hidden", "checkbox",
        )
    },
}  # fmt: skip
