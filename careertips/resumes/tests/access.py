"""Every résumé URL that takes an id: owner ok, another member 404, anonymous to login."""

from careertips.core.testing import AccessCase
from careertips.pipeline.tests.helpers import make_opportunity
from careertips.resumes import services
from careertips.resumes.models import Credential
from careertips.resumes.tests.factories import make_position, make_version
from careertips.stories.tests.factories import make_story


def _position(owner):
    return {"pk": make_position(owner=owner).pk}


def _credential(owner):
    return {"pk": Credential.objects.create(owner=owner, title="B.S. Logistics").pk}


def _story(owner):
    return {"pk": make_story(owner=owner).pk}


def _opportunity(owner):
    return {"pk": make_opportunity(owner=owner).pk}


def _version(owner):
    version = make_version(owner=owner)
    return {"pk": version.pk, "item": version.bullets.first().pk}


def _item(owner):
    return {"pk": make_version(owner=owner).bullets.first().pk}


def _letter(owner):
    letter = services.draft_letter(owner=owner, opportunity=make_opportunity(owner=owner))
    return {"pk": letter.pk, "opportunity": letter.opportunity_id}


CASES = [
    AccessCase("/resume/positions/{pk}/", _position),
    AccessCase("/resume/positions/{pk}/delete/", _position, method="post", owner_status=302),
    AccessCase("/resume/credentials/{pk}/delete/", _credential, method="post", owner_status=302),
    AccessCase("/resume/stories/{pk}/bullet/", _story),
    AccessCase(
        "/resume/stories/{pk}/bullet/",
        _story,
        method="post",
        data={"text": "Cut vendor costs 18%."},
        owner_status=302,
    ),
    AccessCase("/resume/opportunities/{pk}/", _opportunity),
    # No stories placed under positions: the owner is sent back with the reason.
    AccessCase("/resume/opportunities/{pk}/tailor/", _opportunity, method="post", owner_status=302),
    AccessCase("/resume/versions/{pk}/", _version),
    AccessCase(
        "/resume/versions/{pk}/edit/",
        _version,
        method="post",
        data={"headline": "Ops", "summary": "", "skills": "Lean"},
        owner_status=302,
    ),
    AccessCase("/resume/versions/{pk}/sent/", _version, method="post", owner_status=302),
    AccessCase("/resume/versions/{pk}/delete/", _version),
    AccessCase("/resume/versions/{pk}/delete/", _version, method="post", owner_status=302),
    AccessCase("/resume/versions/{pk}/export/docx/", _version),
    AccessCase("/resume/versions/{pk}/export/pdf/", _version),
    AccessCase("/resume/versions/{pk}/export/txt/", _version),
    AccessCase(
        "/resume/bullets/{pk}/", _item, method="post", data={"text": "New"}, owner_status=302
    ),
    AccessCase("/resume/bullets/{pk}/hide/", _item, method="post", owner_status=302),
    AccessCase(
        "/resume/bullets/{pk}/move/",
        _item,
        method="post",
        data={"direction": "up"},
        owner_status=302,
    ),
    AccessCase("/resume/opportunities/{pk}/letter/", _opportunity),
    AccessCase(
        "/resume/opportunities/{pk}/letter/draft/", _opportunity, method="post", owner_status=302
    ),
    AccessCase("/resume/letters/{pk}/export/docx/", _letter),
    AccessCase("/resume/letters/{pk}/export/pdf/", _letter),
    AccessCase("/resume/letters/{pk}/export/txt/", _letter),
]
