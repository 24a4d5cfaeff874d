import re
from email import message_from_bytes, policy

import pytest
import time_machine

from careertips.newsletter import tokens
from careertips.newsletter.models import Article, Subscriber
from careertips.newsletter.sending.message import (
    InvalidRecipient,
    UnsubscribeLinks,
    clean_address,
    clean_display_name,
    recipient_for,
    render_issue_email,
)
from careertips.newsletter.tests.sending_factories import make_issue_to_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    return make_issue_to_send(title="Après le refus: call back")


def subscriber(name="Alice Moreno", email="alice@example.com"):
    return Subscriber.objects.create(email=email, name=name, status="active")


def parsed(raw: bytes):
    return message_from_bytes(raw, policy=policy.default)


def unsubscriber(url: str) -> Subscriber | None:
    """Whom an unsubscribe link is for (tokens carry a timestamp, so compare owners)."""
    token = re.search(r"/unsubscribe/([^/]+)/", url).group(1)
    return tokens.read_token(purpose="unsubscribe", token=token)


def test_it_renders_text_and_html_with_the_recipients_own_name_and_links(issue):
    alice = subscriber()
    recipient = recipient_for(alice, message_id="<m1@careertips.local>")
    message = render_issue_email(issue).message_for(recipient)

    html = message.alternatives[0].content
    unsubscribe = recipient.unsubscribe_url
    assert unsubscriber(unsubscribe) == alice
    assert message.subject == "Career Tips, April 2026: Après le refus: call back"
    assert message.to == ["Alice Moreno <alice@example.com>"]
    assert "Hi Alice," in message.body and "Hi Alice," in html
    assert f"Unsubscribe: {unsubscribe}" in message.body
    assert f'href="{unsubscribe}"' in html
    assert "Dear Robert in Denver:" in message.body
    assert "You cannot be turned down <em>twice</em>." in html
    assert "You cannot be turned down *twice*." in message.body
    assert message.extra_headers["Message-ID"] == "<m1@careertips.local>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = message.extra_headers["List-Unsubscribe"]
    assert unsubscriber(one_click) == alice and "/one-click/>" in one_click


def test_it_gives_each_recipient_their_own_unsubscribe_link(issue):
    email = render_issue_email(issue)
    alice, bob = subscriber(), subscriber("Bob", "bob@example.com")
    for person in (alice, bob):
        text = email.text_for(recipient_for(person, message_id=f"<{person.pk}@x>"))
        links = re.findall(r"http://\S+/newsletter/unsubscribe/\S+/", text)
        assert [unsubscriber(link) for link in links] == [person]


def test_it_builds_the_same_message_as_ready_to_send_bytes(issue):
    Article.objects.create(
        issue=issue, kind="tip", title="Long lines", slug="long", position=9,
        body="A line far longer than seventy-eight characters, with a price of €120 = fair, "
        * 4,
    )  # fmt: skip
    alice = subscriber(name="Zoë Åberg-Núñez")
    recipient = recipient_for(alice, message_id="<m2@careertips.local>")
    email = render_issue_email(issue)

    raw = email.bytes_for(recipient)
    message = parsed(raw)

    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert message["Subject"] == email.subject
    assert message["To"].addresses[0].display_name == "Zoë Åberg-Núñez"
    assert message["To"].addresses[0].addr_spec == "alice@example.com"
    assert message["Message-ID"] == "<m2@careertips.local>"
    assert message["List-Id"] == "Career Tips <newsletter.careertips.local>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscriber(message["List-Unsubscribe"]) == alice
    assert "mailto:unsubscribe@careertips.local" in message["List-Unsubscribe"]
    # On the wire lines end in CRLF; decoded, the parts are exactly what was rendered.
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(("html",)).get_content().replace("\r\n", "\n")
    assert text == email.text_for(recipient)
    assert html == email.html_for(recipient)
    assert message.get_content_type() == "multipart/alternative"


def test_it_keeps_newlines_in_names_out_of_the_headers(issue):
    eve = subscriber(name="Eve\r\nBcc: victim@example.net\nX-Evil: 1", email="eve@example.com")
    recipient = recipient_for(eve, message_id="<m3@careertips.local>")
    email = render_issue_email(issue)

    message = parsed(email.bytes_for(recipient))
    django_message = email.message_for(recipient).message()

    for headers in (message, django_message):
        assert headers["Bcc"] is None and headers["X-Evil"] is None
    assert recipient.name == "Eve Bcc: victim@example.net X-Evil: 1"
    assert message["To"].addresses[0].addr_spec == "eve@example.com"


def test_it_escapes_names_in_the_html(issue):
    mallory = subscriber(name='<script>alert("x")</script> Mallory', email="m@example.com")
    recipient = recipient_for(mallory, message_id="<m4@careertips.local>")
    html = render_issue_email(issue).html_for(recipient)
    assert "<script>" not in html
    assert "Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;," in html


@pytest.mark.parametrize(
    "address",
    [
        "victim@example.com\r\nRCPT TO:<spam@example.net>",
        "a@example.com, b@example.com",
        "Alice <alice@example.com>",
        "<alice@example.com>",
        "no-at-sign",
        "josé@example.com",
        "",
    ],
)
def test_it_refuses_addresses_that_are_not_one_plain_mailbox(address):
    with pytest.raises(InvalidRecipient):
        clean_address(address)


def test_it_encodes_international_domains():
    assert clean_address("zoe@bücher.example") == "zoe@xn--bcher-kva.example"


def test_it_caps_and_flattens_display_names():
    assert clean_display_name("  Ann \t Lee\u2028CC: x ") == "Ann Lee CC: x"
    assert len(clean_display_name("x" * 500)) == 120


def test_it_greets_subscribers_without_a_name(issue):
    anonymous = subscriber(name="", email="anon@example.com")
    recipient = recipient_for(anonymous, message_id="<m5@x>")
    assert "Hi there," in render_issue_email(issue).text_for(recipient)
    assert recipient.to == "anon@example.com"


def test_it_keeps_marker_text_out_of_the_message(issue):
    recipient = recipient_for(subscriber(), message_id="<m6@x>")
    email = render_issue_email(issue)
    assert not re.search(
        r"ctslot[0-9a-f]{16}", email.text_for(recipient) + email.html_for(recipient)
    )


def test_it_makes_the_same_links_as_the_token_helpers():
    alice = subscriber()
    with time_machine.travel("2026-06-01 08:00:00+00:00", tick=False):
        url, headers = UnsubscribeLinks().for_subscriber(alice)
        assert url == tokens.unsubscribe_url(alice)
        assert headers == tokens.list_unsubscribe_headers(alice)
