"""Links to a row's page formatted from a URL reversed once."""

from django.urls import reverse, set_script_prefix

from careertips.core.links import pk_url


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
