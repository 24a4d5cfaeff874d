from careertips.core.testing import AccessCase
from careertips.pipeline.models import PostingCapture, Stage
from careertips.pipeline.tests.helpers import make_interview, make_opportunity


def _opportunity(user):
    return {"pk": make_opportunity(owner=user, stage=Stage.APPLIED).pk}


def _interview(user):
    return {"pk": make_interview(opportunity=make_opportunity(owner=user)).pk}


def _capture(user):
    return {"pk": PostingCapture.objects.create(owner=user, url="https://jobs.example.com/1").pk}


CASES = [
    AccessCase("/opportunities/capture/{pk}/", _capture),
    AccessCase("/opportunities/{pk}/", _opportunity),
    AccessCase("/opportunities/{pk}/edit/", _opportunity),
    AccessCase("/opportunities/{pk}/delete/", _opportunity),
    AccessCase("/opportunities/{pk}/delete/", _opportunity, method="post", owner_status=302),
    AccessCase("/opportunities/{pk}/move/", _opportunity, "post", {"stage": "screening"}, 302),
    AccessCase("/opportunities/{pk}/follow-up/", _opportunity, "post", owner_status=302),
    AccessCase("/opportunities/{pk}/interviews/new/", _opportunity),
    AccessCase("/opportunities/interviews/{pk}/edit/", _interview),
    AccessCase("/opportunities/interviews/{pk}/delete/", _interview),
    AccessCase("/opportunities/interviews/{pk}/delete/", _interview, "post", owner_status=302),
    AccessCase("/opportunities/interviews/{pk}/thank-you/", _interview, "post", owner_status=302),
]
