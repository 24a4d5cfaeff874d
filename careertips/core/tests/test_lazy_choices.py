"""A model choice field whose queryset is made only when it is first read."""

import pytest
from django import forms

from careertips.core.forms import LazyModelChoiceField
from careertips.core.models import User
from careertips.core.testing import make_user


class _PickForm(forms.Form):
    person = LazyModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args: object, allowed: list[int], made: list[int], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

        def people():  # counts each time the queryset is made
            made.append(1)
            return User.objects.filter(pk__in=allowed)

        self.fields["person"].rows_from(people)  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_it_makes_the_queryset_only_for_a_value_sent_or_a_menu_drawn(
    django_assert_num_queries,
):
    ann, bob = make_user("ann@example.com"), make_user("bob@example.com")
    made: list[int] = []

    with django_assert_num_queries(0):
        empty = _PickForm({"person": ""}, allowed=[ann.pk], made=made)
        assert empty.is_valid() and empty.cleaned_data["person"] is None
    assert made == []

    picked = _PickForm({"person": str(ann.pk)}, allowed=[ann.pk], made=made)
    assert picked.is_valid() and picked.cleaned_data["person"] == ann
    assert made == [1]  # once, however often the form reads it

    refused = _PickForm({"person": str(bob.pk)}, allowed=[ann.pk], made=made)
    assert not refused.is_valid() and "person" in refused.errors

    drawn = str(_PickForm(allowed=[ann.pk], made=made)["person"])
    assert f'value="{ann.pk}"' in drawn and f'value="{bob.pk}"' not in drawn


@pytest.mark.django_db
def test_it_takes_a_queryset_given_outright_in_place_of_the_function():
    ann = make_user("ann@example.com")
    form = _PickForm({"person": str(ann.pk)}, allowed=[], made=[])
    form.fields["person"].queryset = User.objects.all()  # type: ignore[attr-defined]

    assert form.is_valid() and form.cleaned_data["person"] == ann
