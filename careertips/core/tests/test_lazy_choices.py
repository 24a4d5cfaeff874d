"""A model choice field whose queryset is made only when it is first read."""

import pytest
from django import forms

from careertips.core.forms import LazyModelChoiceField, NameChoiceField
from careertips.core.models import User
from careertips.core.prepared import Prepared
from careertips.core.testing import make_user
from careertips.network.models import Organization
from careertips.network.tests.helpers import make_organization


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


class _OrganizationField(NameChoiceField):
    names = Prepared(
        lambda owner: Organization.objects.filter(owner_id=owner).values_list("pk", "name"),
        owner=int,
    )


@pytest.mark.django_db
def test_it_lists_a_name_menu_from_its_prepared_names_once_it_knows_whose():
    ann, bob = make_user("ann@example.com"), make_user("bob@example.com")
    acme = make_organization(owner=ann, name="Acme")
    make_organization(owner=bob, name="Bob's Employer")
    field = _OrganizationField(queryset=Organization.objects.filter(owner=bob), required=False)

    assert [name for _, name in field.choices][1:] == ["Bob's Employer"]  # no owner: queryset
    field.owner_id = ann.pk
    assert list(field.choices)[1:] == [(acme.pk, "Acme")]
