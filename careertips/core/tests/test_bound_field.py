"""A hidden input names no help text or errors: only the visible widget points at them."""

import datetime as dt
import re

import pytest
from django import forms

from careertips.core.renderers import PageBoundField


class DatedForm(forms.Form):
    found_on = forms.DateField(
        help_text="When you found it.", show_hidden_initial=True, initial=dt.date(2026, 1, 2)
    )
    secret = forms.CharField(widget=forms.HiddenInput, help_text="Not shown.")


def _inputs(html: str) -> dict[str, str]:
    tags = re.findall(r"<input[^>]*>", html)
    return {name.group(1): tag for tag in tags if (name := re.search(r'name="([^"]+)"', tag))}


def test_it_draws_every_field_of_a_form_with_the_page_bound_field():
    assert isinstance(DatedForm()["found_on"], PageBoundField)


@pytest.mark.parametrize("data", [None, {"found_on": "not a day", "secret": ""}])
def test_it_keeps_aria_describedby_off_hidden_inputs_only(data):
    form = DatedForm(data)
    form.is_valid()
    inputs = _inputs(str(form))
    assert "aria-describedby" in inputs["found_on"]
    assert "id_found_on_helptext" in inputs["found_on"]
    assert "aria-describedby" not in inputs["initial-found_on"]
    assert "aria-describedby" not in inputs["secret"]
    if data:
        assert "id_found_on_error" in inputs["found_on"]
        assert 'aria-invalid="true"' in inputs["found_on"]


def test_it_leaves_the_opportunity_forms_kept_found_on_day_unnamed_by_its_error(alice_client):
    response = alice_client.post(
        "/opportunities/new/",
        {"title": "Plant Manager", "organization_name": "Acme", "found_on": "31/31/2026"},
    )
    inputs = _inputs(response.content.decode())
    assert "id_found_on_error" in inputs["found_on"]
    assert "aria-describedby" not in inputs["initial-found_on"]
