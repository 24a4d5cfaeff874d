"""The people menus of a member with many contacts: the people at the employer, the current
pick and the most recently added or changed contacts, with a link to the menu of them all;
any of the member's own contacts is still accepted."""

import datetime as dt
import re
import shutil

import pytest
from django.utils import timezone

from careertips.core.testing import count_queries
from careertips.network.models import Contact
from careertips.network.tests.helpers import make_contact, make_organization
from careertips.pipeline.models import Opportunity, PostingCapture
from careertips.pipeline.people_forms import CONTACT_MENU_LIMIT, RECENT_CONTACTS
from careertips.pipeline.tests.helpers import make_opportunity

pytestmark = pytest.mark.django_db


def _fillers(owner, count, start=0):
    """`count` contacts elsewhere than the employer, none of them touched lately."""
    elsewhere = make_organization(owner=owner, name="Elsewhere Ltd")
    Contact.objects.bulk_create(
        Contact(owner=owner, name=f"Filler {number:03}", organization=elsewhere)
        for number in range(start, start + count)
    )
    Contact.objects.filter(owner=owner).update(updated_at=timezone.now() - dt.timedelta(days=30))


def _touch(owner, *names):
    Contact.objects.filter(owner=owner, name__in=names).update(updated_at=timezone.now())


def _menu(page, role):
    """The options of one people menu, as (value, label) pairs."""
    select = re.search(rf'<select name="{role}".*?</select>', page, re.DOTALL)
    assert select, f"no {role} menu"
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(0))


@pytest.fixture
def crowded(alice):
    """An opportunity at Initech whose member has 101 contacts: one at Initech, the referrer
    and 99 others elsewhere, the last 20 of them touched lately."""
    _fillers(alice, CONTACT_MENU_LIMIT)
    employer = make_organization(owner=alice, name="Initech")
    here = make_contact(owner=alice, name="Ada Here", organization=employer)
    Contact.objects.filter(pk=here.pk).update(updated_at=timezone.now() - dt.timedelta(days=30))
    referrer = Contact.objects.get(owner=alice, name="Filler 005")
    opportunity = make_opportunity(owner=alice, organization=employer)
    Opportunity.objects.filter(pk=opportunity.pk).update(referred_by=referrer)
    _touch(alice, *(f"Filler {number:03}" for number in range(80, 100)))
    assert Contact.objects.filter(owner=alice).count() == CONTACT_MENU_LIMIT + 1
    return opportunity


RECENT = [f"Filler {number:03}" for number in range(80, 100)]


def test_it_lists_the_employers_people_the_pick_and_the_recent_ones(alice_client, crowded):
    page = alice_client.get(f"/opportunities/{crowded.pk}/edit/").content.decode()

    names = [label.split(",")[0] for _value, label in _menu(page, "hiring_manager")]
    assert names == ["— no one —", "Ada Here", *RECENT]
    referrer = [label.split(",")[0] for _value, label in _menu(page, "referred_by")]
    assert referrer == ["— no one —", "Ada Here", "Filler 005", *RECENT]
    assert re.search(r'<option value="\d+" selected>Filler 005, Elsewhere Ltd</option>', page)
    assert "Filler 004" not in page
    assert len(RECENT) == RECENT_CONTACTS
    assert (
        "The menu lists your contacts at the employer and the 20 you added or changed last. "
        f'<a href="/opportunities/{crowded.pk}/edit/?contacts=all#id_referred_by">'
        "Choose from all 101 of your contacts</a>" in page
    )


def test_it_lists_the_recent_ones_on_a_new_opportunity(alice_client, crowded):
    page = alice_client.get("/opportunities/new/").content.decode()

    names = [label.split(",")[0] for _value, label in _menu(page, "hiring_manager")]
    assert names == ["— no one —", *RECENT]
    assert (
        "The menu lists the 20 contacts you added or changed last. "
        '<a href="/opportunities/new/?contacts=all#id_hiring_manager">' in page
    )

    employer = crowded.organization
    chosen = alice_client.get(f"/opportunities/new/?organization={employer.pk}")
    names = [label.split(",")[0] for _value, label in _menu(chosen.content.decode(), "referred_by")]
    assert names == ["— no one —", "Ada Here", *RECENT]
    assert (
        f'href="/opportunities/new/?organization={employer.pk}&amp;contacts=all#id_referred_by"'
        in chosen.content.decode()
    )


def test_it_lists_the_chosen_employers_people_when_the_form_comes_back(alice_client, crowded):
    employer = crowded.organization
    page = alice_client.post(
        "/opportunities/new/", {"title": "", "organization": employer.pk, "work_mode": "onsite"}
    ).content.decode()

    assert "Please correct the highlighted fields." in page
    names = [label.split(",")[0] for _value, label in _menu(page, "hiring_manager")]
    assert names == ["— no one —", "Ada Here", *RECENT]


def test_it_lists_every_contact_on_the_full_menu(alice_client, crowded):
    page = alice_client.get(f"/opportunities/{crowded.pk}/edit/?contacts=all").content.decode()

    assert len(_menu(page, "hiring_manager")) == CONTACT_MENU_LIMIT + 2
    assert len(_menu(page, "referred_by")) == CONTACT_MENU_LIMIT + 2
    assert "Filler 004, Elsewhere Ltd" in page
    assert "contacts=all" not in page
    assert "One of your contacts." in page


def test_it_shows_the_whole_menu_to_a_member_with_few_contacts(alice_client, alice):
    make_contact(owner=alice, name="Dana Whitfield")
    opportunity = make_opportunity(owner=alice)
    page = alice_client.get(f"/opportunities/{opportunity.pk}/edit/").content.decode()

    assert "Dana Whitfield, Acme Analytics" in page
    assert "contacts=all" not in page


def _edit(crowded, **people):
    return {
        "title": crowded.title,
        "organization": crowded.organization_id,
        "work_mode": crowded.work_mode,
        "source": crowded.source,
        "currency": crowded.currency,
        "found_on": crowded.found_on.isoformat(),
        "applied_on": crowded.applied_on.isoformat(),
        **people,
    }


def test_it_accepts_any_own_contact_though_the_menu_does_not_list_it(alice_client, crowded):
    unlisted = Contact.objects.get(owner=crowded.owner, name="Filler 004")
    response = alice_client.post(
        f"/opportunities/{crowded.pk}/edit/", _edit(crowded, hiring_manager=unlisted.pk)
    )

    assert response.status_code == 302
    assert Opportunity.objects.get(pk=crowded.pk).hiring_manager == unlisted


def test_it_refuses_another_members_contact_at_the_field(alice_client, crowded, bob):
    bobs = make_contact(owner=bob, name="Bobs Private Contact")
    response = alice_client.post(
        f"/opportunities/{crowded.pk}/edit/", _edit(crowded, hiring_manager=bobs.pk)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["hiring_manager"] == ["Choose one of your own contacts."]
    assert "Bobs Private Contact" not in response.content.decode()
    assert Opportunity.objects.get(pk=crowded.pk).hiring_manager is None


def test_it_links_a_name_already_in_the_network_to_the_full_menu(alice_client, crowded):
    make_contact(owner=crowded.owner, name="Jo <b>Bold</b>")
    response = alice_client.post(
        f"/opportunities/{crowded.pk}/edit/",
        _edit(crowded, referred_by="", referred_by_name="jo <b>bold</b>"),
    )

    page = response.content.decode()
    assert (
        "You already have a contact named Jo &lt;b&gt;Bold&lt;/b&gt;: choose them in the list "
        f'(<a href="/opportunities/{crowded.pk}/edit/?contacts=all#id_referred_by">'
        "show all your contacts</a>)." in page
    )
    assert Contact.objects.filter(owner=crowded.owner, name__iexact="jo <b>bold</b>").count() == 1


def test_it_draws_the_short_menus_in_a_fixed_number_of_queries_and_size(alice_client, crowded):
    url = f"/opportunities/{crowded.pk}/edit/"
    few = count_queries(alice_client, url)
    size = len(alice_client.get(url).content)
    _fillers(crowded.owner, 400, start=200)
    _touch(crowded.owner, *RECENT)

    assert count_queries(alice_client, url) == few
    assert count_queries(alice_client, "/opportunities/new/") <= few
    assert len(alice_client.get(url).content) == size  # "all 101" became "all 501"
    assert len(alice_client.get("/opportunities/new/").content) < 60_000


@pytest.mark.skipif(not shutil.which("java"), reason="the Nu HTML checker needs java")
def test_it_serves_valid_html_with_short_menus(alice_client, crowded, tmp_path):
    from careertips.core.tests.test_html_validity import VNU_JAR, _check

    if not VNU_JAR.exists():
        pytest.skip("run `make vnu-deps`")
    documents = {
        url: alice_client.get(url).content.decode()
        for url in ("/opportunities/new/", f"/opportunities/{crowded.pk}/edit/")
    }
    documents["refused"] = alice_client.post(
        f"/opportunities/{crowded.pk}/edit/", _edit(crowded, referred_by_name="Filler 004")
    ).content.decode()
    assert "show all your contacts" in documents["refused"]
    assert _check(documents, tmp_path) == {}


def test_it_shortens_the_menus_of_a_posting_captured_from_its_page(alice_client, crowded):
    """The bookmarklet's review arrives by POST: no link could keep the capture, so the help
    says where everyone else can be chosen."""
    page = alice_client.post(
        "/opportunities/capture/from-page/",
        {"url": "https://jobs.example.com/x", "title": "Plant Manager - Initech"},
    ).content.decode()

    names = [label.split(",")[0] for _value, label in _menu(page, "hiring_manager")]
    assert names == ["— no one —", *RECENT]
    assert "Filler 004" not in page
    assert (
        "The menu lists the 20 contacts you added or changed last; any other of your 101 "
        "contacts can be chosen on the opportunity’s edit page once it is saved." in page
    )
    assert "contacts=all" not in page


def test_it_keeps_the_pick_in_the_short_menus_when_a_captured_posting_comes_back(
    alice, alice_client, crowded
):
    referrer = Contact.objects.get(owner=alice, name="Filler 005")
    page = alice_client.post(
        "/opportunities/capture/review/",
        {"title": "", "organization_name": "Initech", "work_mode": "onsite",
         "referred_by": str(referrer.pk)},
    ).content.decode()  # fmt: skip

    assert "Please correct the highlighted fields." in page
    referred = [label.split(",")[0] for _value, label in _menu(page, "referred_by")]
    assert referred == ["— no one —", "Filler 005", *RECENT]


def test_it_links_a_posting_read_by_the_worker_to_the_full_menus(alice, alice_client, crowded):
    capture = PostingCapture.objects.create(
        owner=alice,
        url="https://jobs.example.com/x",
        status=PostingCapture.Status.READY,
        result={"url": "https://jobs.example.com/x", "title": "Plant Manager"},
    )
    path = f"/opportunities/capture/{capture.pk}/"
    page = alice_client.get(path).content.decode()
    assert [label.split(",")[0] for _v, label in _menu(page, "hiring_manager")] == [
        "— no one —",
        *RECENT,
    ]
    assert f'<a href="{path}?contacts=all#id_hiring_manager">' in page

    everyone = alice_client.get(f"{path}?contacts=all").content.decode()
    assert len(_menu(everyone, "hiring_manager")) == CONTACT_MENU_LIMIT + 2
