"""Your data: the archive holds everything of the member's and nothing of anyone else's, and
deleting the account takes all of it, and only it."""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.db import models

from careertips.agenda.models import AgendaSettings, DigestLog, Snooze, WeeklyGoal
from careertips.agenda.services.feed import regenerate_calendar_token
from careertips.coaching.models import CoachNote, Sharing
from careertips.coaching.services import record_reads
from careertips.core import account_data
from careertips.core.account_data import NOT_EXPORTED, Rows, declared_exports
from careertips.core.demo import COACH_EMAIL, MEMBER_EMAIL, MEMBER_PASSWORD, seed_demo
from careertips.core.models import CapturedEmail, OutboundMail, User
from careertips.core.roles import Role
from careertips.core.testing import PASSWORD, make_user
from careertips.core.views.account import DELETE_ATTEMPTS
from careertips.network.models import Contact, ImportBatch, Tag
from careertips.network.tests.helpers import attend, make_contact, make_event, make_touchpoint
from careertips.offers.models import Offer
from careertips.offers.services.negotiation import add_market_figure, log_negotiation_step
from careertips.offers.tests.factories import make_rate
from careertips.pipeline.models import Interview, Opportunity, OpportunityImport, PostingCapture
from careertips.pipeline.tests.helpers import make_opportunity
from careertips.resumes import services as resumes
from careertips.stories import services as stories
from careertips.stories.models import PromotionCase, Story
from careertips.stories.services import add_competency
from careertips.stories.tests.factories import (
    index_count,
    make_gap,
    make_goal,
    make_requirement,
    make_story,
)

pytestmark = pytest.mark.django_db

DATA_URL = "/settings/data/"
DOWNLOAD_URL = "/settings/data/download/"


def _holds_member_rows(model: type[models.Model], seen: frozenset = frozenset()) -> bool:
    """True when a chain of foreign keys leads from the model's rows to a member."""
    if model is User:
        return True
    targets = {f.related_model for f in model._meta.concrete_fields if f.is_relation}
    return any(
        target is User or (target not in seen and _holds_member_rows(target, seen | {model}))
        for target in targets
        if target is not None
    )


def _archive(client) -> zipfile.ZipFile:
    response = client.get(DOWNLOAD_URL)
    assert response.status_code == 200 and response.streaming
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _counts(user: User) -> dict[str, int]:
    return {e.name: e.rows(user).count() for e in declared_exports() if isinstance(e, Rows)}


@pytest.fixture
def member():
    """The demo search, and a record of every other kind the demo leaves out."""
    seed_demo()
    member = User.objects.get(email=MEMBER_EMAIL)
    _fill_every_kind(member)
    return member


def _fill_api(member: User) -> None:
    from careertips.api.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
    from careertips.api.services.tokens import create_token

    create_token(owner=member, name="Sheet", scopes=["read"])
    endpoint = WebhookEndpoint.objects.create(owner=member, url="https://example.com/", secret="x")
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, message_id="msg_1", kind="debrief.opened", payload={}
    )
    WebhookAttempt.objects.create(delivery=delivery, status_code=500)


def _fill_every_kind(member: User) -> None:
    today = member.local_today()
    contact = Contact.objects.filter(owner=member).first()
    contact.tags.add(Tag.objects.create(owner=member, name="mentor"))
    event = make_event(owner=member)
    attend(event=event, contact=contact)
    make_touchpoint(contact=contact, event=event)
    ImportBatch.objects.create(owner=member, source=ImportBatch.Source.VCARD, filename="me.vcf")
    OpportunityImport.objects.create(owner=member, filename="tracker.csv")
    offer = Offer.objects.filter(opportunity__owner=member).first()
    negotiation = offer.negotiation
    add_market_figure(negotiation=negotiation, source="Survey", low=110_000, high=130_000)
    log_negotiation_step(negotiation=negotiation, happened_on=today, asked="$128,000")
    make_rate(owner=member, source="EUR", target="USD", rate="1.08")
    Snooze.objects.create(owner=member, kind="action", object_id=1, until=today)
    WeeklyGoal.objects.create(owner=member, metric="touches", target=5)
    AgendaSettings.objects.get_or_create(owner=member)
    DigestLog.objects.create(owner=member, local_date=today)
    story = make_story(owner=member, competencies=[add_competency(owner=member, name="Vendors")])
    stories.record_story_use(story=story, interview=Interview.objects.filter(
        opportunity__owner=member).first())  # fmt: skip
    requirement = make_requirement(opportunity=offer.opportunity)
    stories.confirm_coverage(requirement=requirement, story=story)
    make_gap(owner=member)
    _fill_api(member)
    stories.add_question(opportunity=offer.opportunity, text="Why bakeries?")
    resumes.tailor_resume(owner=member, opportunity=offer.opportunity)
    resumes.draft_letter(owner=member, opportunity=offer.opportunity)
    PromotionCase.objects.create(owner=member, title="Raise", organization_name="Fulton")
    goal = make_goal(owner=member, started_on=today)  # the member's day, not the server's
    stories.add_milestone(goal=goal, title="Book the exam", due_on=today)
    coach = User.objects.get(email=COACH_EMAIL)
    Sharing.objects.get_or_create(member=member, coach=coach)
    CoachNote.objects.create(member=member, author=coach, body="Call Victor before Friday.")
    record_reads(coach=coach, members=[member], page="Your search", path="/coaching/clients/1/")
    CapturedEmail.objects.create(
        from_email="hello@careertips.local", to=f"Jordan <{MEMBER_EMAIL}>", subject="Your day",
        raw="...",
    )  # fmt: skip
    PostingCapture.objects.create(owner=member, url="https://jobs.example.com/plant-manager")
    OutboundMail.objects.create(
        kind="debriefs.thank_you", object_id=1, owner=member, from_email="a@example.com",
        recipients="dana@example.com", subject="Thank you", status=OutboundMail.Status.SENT,
    )  # fmt: skip


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def others(bob):
    """Someone else's search, which nothing here may touch."""
    make_contact(owner=bob, name="Zebulon Outsider")
    make_opportunity(owner=bob, title="Bob's Secret Role")
    return bob


def test_it_archives_every_model_with_member_rows_or_says_why_not():
    exported = {e.model._meta.label for e in declared_exports() if isinstance(e, Rows)}
    holding = {
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("careertips.") and _holds_member_rows(model)
    }
    missing = holding - exported - set(NOT_EXPORTED)
    assert not missing, f"Add these to an app's account_data.EXPORTS: {sorted(missing)}"
    assert "network.Contact" in exported and "pipeline.StageChange" in exported


def test_it_archives_every_record_of_the_member_and_nothing_else(member, member_client, others):
    token = regenerate_calendar_token(owner=member)
    archive = _archive(member_client)
    names = set(archive.namelist())
    assert {"README.txt", "account.json"} <= names
    assert {e.name for e in declared_exports()} <= names

    for name, count in _counts(member).items():
        rows = json.loads(archive.read(name))
        assert len(rows) == count > 0, name
        assert all("id" in row for row in rows)
    opportunities = json.loads(archive.read("pipeline/opportunities.json"))
    assert len(opportunities) == Opportunity.objects.filter(owner=member).count() >= 40
    assert {row["owner_id"] for row in opportunities} == {member.pk}
    contacts = json.loads(archive.read("network/contacts.json"))
    assert "tags_ids" in contacts[0]

    account = json.loads(archive.read("account.json"))
    assert account["email"] == MEMBER_EMAIL
    assert account["email_addresses"] == [
        {"email": MEMBER_EMAIL, "verified": True, "primary": True}
    ]
    everything = b"".join(archive.read(name) for name in names).decode()
    assert "password" not in account and member.password not in everything
    assert "calendar_token_hash" not in everything and token not in everything
    assert "Zebulon Outsider" not in everything and "Bob's Secret Role" not in everything
    csv_header = archive.read("network/contacts.csv").decode().splitlines()[0]
    assert csv_header.startswith("Name,Title,Organization,Email")
    assert archive.read("network/contacts.vcf").decode().count("BEGIN:VCARD") == len(contacts)
    assert "pipeline/opportunities.json" in archive.read("README.txt").decode()


def test_it_keeps_the_download_private_and_uncached(member_client, client):
    response = member_client.get(DOWNLOAD_URL)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="careertips-data-')
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    member_client.logout()
    for url in (DOWNLOAD_URL, DATA_URL):
        assert client.get(url)["Location"].startswith("/accounts/login/")


def test_it_lists_the_files_and_asks_for_the_password(member_client):
    response = member_client.get(DATA_URL)
    content = response.content.decode()
    assert "network/contacts.json" in content and "Download my data (ZIP)" in content
    assert 'name="password"' in content and 'autocomplete="current-password"' in content


def test_it_deletes_nothing_without_the_password_and_the_tick(member, member_client):
    before = _counts(member)
    response = member_client.post(DATA_URL, {"password": "not it", "understood": "on"})
    assert response.status_code == 400
    assert response.context["form"].errors["password"] == ["That is not your password."]

    response = member_client.post(DATA_URL, {"password": MEMBER_PASSWORD})
    assert response.status_code == 400
    assert "understood" in response.context["form"].errors
    assert User.objects.filter(pk=member.pk).exists() and _counts(member) == before


def test_it_deletes_everything_of_the_member_and_nothing_else(member, member_client, others):
    before = _counts(member)
    theirs = _counts(others)
    assert all(before.values()) and sum(before.values()) > 250
    indexed = index_count("stories_story_fts"), index_count("stories_requirement_fts")
    mine = Story.objects.filter(owner=member).count(), before["stories/requirements.json"]

    response = member_client.post(
        DATA_URL, {"password": MEMBER_PASSWORD, "understood": "on"}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/"
    assert "Your account and its" in response.content.decode()
    assert SESSION_KEY not in member_client.session
    assert not User.objects.filter(pk=member.pk).exists()
    gone = User(pk=member.pk)
    left = {name: count for name, count in _counts(gone).items() if count}
    # Only the shared list of competencies, which no member owns, is still there.
    assert list(left) == ["stories/competencies.json"]
    assert _counts(others) == theirs
    assert Contact.objects.filter(owner=others, name="Zebulon Outsider").exists()
    assert not CapturedEmail.objects.filter(to__icontains=MEMBER_EMAIL).exists()
    # The search index forgets the member's stories and posting requirements too.
    assert index_count("stories_story_fts") == indexed[0] - mine[0]
    assert index_count("stories_requirement_fts") == indexed[1] - mine[1]


def test_it_cuts_off_password_guessing(member, member_client):
    for _ in range(DELETE_ATTEMPTS):
        member_client.post(DATA_URL, {"password": "guess", "understood": "on"})

    response = member_client.post(DATA_URL, {"password": MEMBER_PASSWORD, "understood": "on"})

    assert response.status_code == 400
    assert "Too many attempts" in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()


def test_it_keeps_the_only_administrators_account(client):
    admin = make_user(email="admin@example.com", roles=[Role.ADMINISTRATOR])
    client.force_login(admin)
    assert "only administrator" in client.get(DATA_URL).content.decode()

    response = client.post(DATA_URL, {"password": PASSWORD, "understood": "on"})

    assert response.status_code == 400
    assert User.objects.filter(pk=admin.pk).exists()
    make_user(email="second@example.com", roles=[Role.ADMINISTRATOR])
    assert account_data.why_not_delete(admin) == ""
