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
