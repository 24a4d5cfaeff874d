"""Links to a row's page formatted from a URL reversed once."""

from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from careertips.core.links import fixed_url, pk_url


def test_it_gives_the_same_url_as_reverse():
    for name, pk in [("stories:detail", 7), ("stories:uncover", 123456), ("network:contact", 1)]:
        assert pk_url(name, pk) == reverse(name, args=[pk])


def test_it_follows_the_script_prefix():
    set_script_prefix("/careers/")
    try:
        assert pk_url("stories:gap", 42) == "/careers/stories/gaps/42/"
    finally:
        set_script_prefix("/")
    assert pk_url("stories:gap", 42) == "/stories/gaps/42/"


def test_it_reverses_a_url_without_arguments_once_for_each_prefix():
    for name in ("agenda:today", "pipeline:board", "account_login", "newsletter:archive"):
        assert fixed_url(name) == reverse(name)
    set_script_prefix("/careers/")
    try:
        assert fixed_url("agenda:today") == "/careers/today/" == reverse("agenda:today")
    finally:
        set_script_prefix("/")
    assert fixed_url("agenda:today") == "/today/"


def test_the_tag_draws_what_the_url_tag_draws():
    drawn = Template(
        "{% load links %}{% fixed_url 'pages:contact' %}|"
        "{% fixed_url 'core:settings' as s %}{{ s }}"
    ).render(Context({}))
    assert drawn == f"{reverse('pages:contact')}|{reverse('core:settings')}"
