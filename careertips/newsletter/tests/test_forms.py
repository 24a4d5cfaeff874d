from django import forms

from careertips.newsletter.forms import SubscribeForm


def test_it_prints_a_blank_subscribe_form_as_the_form_renderer_draws_it():
    for source in ("home", "archive", "issue"):
        form = SubscribeForm(initial={"source": source})
        drawn = forms.Form.render(SubscribeForm(initial={"source": source}))
        assert str(form) == drawn
        assert f'name="source" value="{source}"' in str(form)
        assert form.__html__() == drawn


def test_it_never_reuses_the_blank_form_for_a_form_with_errors():
    str(SubscribeForm(initial={"source": "subscribe"}))
    bound = SubscribeForm({"email": "x", "source": "subscribe"}, initial={"source": "subscribe"})
    assert "Enter a valid email address." in str(bound)
    assert 'aria-invalid="true"' in str(bound)
    assert "Enter a valid email address." not in str(SubscribeForm(initial={"source": "subscribe"}))


def test_it_draws_a_form_with_other_initial_values_afresh():
    form = SubscribeForm(initial={"source": "home", "email": "reader@example.com"})
    assert 'value="reader@example.com"' in str(form)
    assert 'value="reader@example.com"' not in str(SubscribeForm(initial={"source": "home"}))
