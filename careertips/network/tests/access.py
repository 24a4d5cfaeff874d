from careertips.core.testing import AccessCase
from careertips.network.importers import preview_import
from careertips.network.tests.helpers import (
    attend,
    linkedin_csv,
    make_contact,
    make_event,
    make_organization,
    make_touchpoint,
)


def _contact(owner):
    return {"pk": make_contact(owner=owner).pk}


def _two_contacts(owner):
    keep = make_contact(owner=owner, name="Dana Whitfield", email="dana@acme.test")
    other = make_contact(owner=owner, name="Dana Whitfield", email="DANA@acme.test")
    return {"pk": keep.pk, "other": other.pk}


def _organization(owner):
    return {"pk": make_organization(owner=owner, name="ASQ Boston").pk}


def _event(owner):
    return {"pk": make_event(owner=owner).pk}


def _event_and_contact(owner):
    return {"pk": make_event(owner=owner).pk, "contact": make_contact(owner=owner).pk}


def _attendance(owner):
    return {"pk": attend(event=make_event(owner=owner), contact=make_contact(owner=owner)).pk}


def _touchpoint(owner):
    return {"pk": make_touchpoint(contact=make_contact(owner=owner)).pk}


def _batch(owner):
    data = linkedin_csv("Dana,Whitfield,,dana@acme.test,Acme,Director,14 Mar 2024")
    return {"pk": preview_import(owner=owner, data=data, filename="Connections.csv").pk}


CASES = [
    AccessCase("/network/contacts/{pk}/", _contact),
    AccessCase("/network/contacts/{pk}/edit/", _contact),
    AccessCase(
        "/network/contacts/{pk}/edit/",
        _contact,
        method="post",
        data={"name": "Dana W.", "relationship": "mentor", "warmth": "3"},
        owner_status=302,
    ),
    AccessCase("/network/contacts/{pk}/delete/", _contact),
    AccessCase("/network/contacts/{pk}/delete/", _contact, method="post", owner_status=302),
    AccessCase("/network/contacts/{pk}/merge/", _two_contacts),
    AccessCase(
        "/network/contacts/{pk}/merge/",
        _two_contacts,
        method="post",
        data={"other": "{other}", "keep": "this"},
        owner_status=302,
    ),
    AccessCase(
        "/network/contacts/{pk}/touchpoints/",
        _contact,
        method="post",
        data={"kind": "coffee", "happened_on": "2020-01-02", "note": "Catch-up"},
        owner_status=302,
    ),
    AccessCase("/network/touchpoints/{pk}/delete/", _touchpoint, method="post", owner_status=302),
    AccessCase("/network/organizations/{pk}/", _organization),
    AccessCase("/network/organizations/{pk}/edit/", _organization),
    AccessCase("/network/organizations/{pk}/delete/", _organization),
    AccessCase(
        "/network/organizations/{pk}/delete/", _organization, method="post", owner_status=302
    ),
    AccessCase("/network/events/{pk}/", _event),
    AccessCase("/network/events/{pk}/edit/", _event),
    AccessCase("/network/events/{pk}/delete/", _event),
    AccessCase("/network/events/{pk}/delete/", _event, method="post", owner_status=302),
    AccessCase(
        "/network/events/{pk}/attendees/",
        _event_and_contact,
        method="post",
        data={"contact": "{contact}", "status": "met"},
        owner_status=302,
    ),
    AccessCase("/network/attendees/{pk}/remove/", _attendance, method="post", owner_status=302),
    AccessCase("/network/import/{pk}/", _batch),
    AccessCase("/network/import/{pk}/confirm/", _batch, method="post", owner_status=302),
    AccessCase("/network/import/{pk}/discard/", _batch, method="post", owner_status=302),
]
