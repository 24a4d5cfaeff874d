from careertips.coaching.models import Sharing
from careertips.core.roles import Role
from careertips.core.testing import AccessCase, make_user

_members = iter(range(1, 10_000))


def _client(coach):
    """A member who shares with `coach`; other staff and members get 404."""
    member = make_user(f"client{next(_members)}@example.com")
    Sharing.objects.create(member=member, coach=coach)
    return {"pk": member.pk}


CASES = [
    AccessCase("/coaching/clients/{pk}/", _client, role=Role.COACH),
    AccessCase(
        "/coaching/clients/{pk}/notes/", _client, method="post", data={"body": "Hello"},
        owner_status=302, role=Role.COACH,
    ),
]  # fmt: skip


def _client_with(kind):
    """A member sharing everything with `coach`, and one item of theirs of this kind."""

    def setup(coach):
        from django.utils import timezone

        from careertips.debriefs.tests.helpers import make_debrief
        from careertips.offers.models import Offer
        from careertips.pipeline.models import Stage
        from careertips.pipeline.tests.helpers import make_interview, make_opportunity
        from careertips.stories.models import Story

        member = make_user(f"client{next(_members)}@example.com")
        Sharing.objects.create(member=member, coach=coach, network=True)
        if kind == "debrief":
            item = make_debrief(owner=member)
        elif kind == "story":
            item = Story.objects.create(
                owner=member, title="S", challenge="c", action="a", result="r"
            )
        elif kind == "prep":
            item = make_interview(opportunity=make_opportunity(owner=member))
        elif kind == "offer":
            opp = make_opportunity(owner=member, stage=Stage.OFFER)
            item = Offer.objects.create(opportunity=opp, base_salary=1)
        else:  # a session held with the member
            from careertips.coaching.models import CoachingSession

            item = CoachingSession.objects.create(
                member=member, coach=coach, coach_name="c", place="Here",
                starts_at=timezone.now() - timezone.timedelta(hours=1),
            )  # fmt: skip
        return {"pk": member.pk, "item": item.pk}

    return setup


def _action_item(member):
    from django.utils import timezone

    from careertips.coaching.models import ActionItem, CoachingSession

    coach = make_user(f"itemcoach{next(_members)}@example.com", roles=[Role.COACH])
    Sharing.objects.create(member=member, coach=coach)
    session = CoachingSession.objects.create(
        member=member, coach=coach, coach_name="c", place="Here", starts_at=timezone.now()
    )
    item = ActionItem.objects.create(
        session=session, member=member, title="Do it", due_on=timezone.localdate()
    )
    return {"pk": item.pk}


def _sharing_coach(member):
    coach = make_user(f"previewcoach{next(_members)}@example.com", roles=[Role.COACH])
    Sharing.objects.create(member=member, coach=coach)
    return {"pk": coach.pk}


CASES += [
    AccessCase("/coaching/preview/{pk}/", _sharing_coach),
    AccessCase("/coaching/actions/{pk}/done/", _action_item, method="post", owner_status=302),
    *[
        AccessCase(f"/coaching/clients/{{pk}}/shared/{scope}/", _client, role=Role.COACH)
        for scope in ("pipeline", "debriefs", "stories", "offers")
    ],
    AccessCase("/coaching/clients/{pk}/shared/network/", _client_with("debrief"), role=Role.COACH),
    *[
        AccessCase(
            f"/coaching/clients/{{pk}}/{kind}/{{item}}/", _client_with(kind), role=Role.COACH
        )
        for kind in ("debrief", "story", "prep", "offer")
    ],
    *[
        AccessCase(
            f"/coaching/clients/{{pk}}/{kind}/{{item}}/comments/",
            _client_with(kind),
            method="post",
            data={"body": "Good"},
            owner_status=302,
            role=Role.COACH,
        )  # fmt: skip
        for kind in ("debrief", "story", "prep", "offer")
    ],
    AccessCase(
        "/coaching/clients/{pk}/sessions/",
        _client,
        method="post",
        role=Role.COACH,
        data={"starts_at": "2099-01-01T10:00", "duration_minutes": 45, "place": "Cafe"},
        owner_status=302,
    ),  # fmt: skip
    AccessCase("/coaching/sessions/{item}/", _client_with("session"), role=Role.COACH),
    AccessCase(
        "/coaching/sessions/{item}/summary/",
        _client_with("session"),
        method="post",
        data={"summary": "Good"},
        owner_status=302,
        role=Role.COACH,
    ),  # fmt: skip
    AccessCase(
        "/coaching/sessions/{item}/actions/",
        _client_with("session"),
        method="post",
        data={"title": "Do", "due_on": "2099-01-01"},
        owner_status=302,
        role=Role.COACH,
    ),  # fmt: skip
]
