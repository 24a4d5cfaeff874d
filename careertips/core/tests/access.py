from careertips.core.models import CapturedEmail, User
from careertips.core.roles import Role
from careertips.core.testing import AccessCase


def _message(user):
    row = CapturedEmail.objects.create(
        from_email="a@example.com", to="b@example.com", subject="Hi", raw="x"
    )
    return {"pk": row.pk}


# Staff pages: "owner" here is the staff fixture; see test_url_access for the staff matrix.
CASES = [AccessCase("/mailbox/{pk}/", _message, role=Role.ADMINISTRATOR)]


def _account(user):
    return {"pk": User.objects.create_user(email=f"a{User.objects.count()}@example.com").pk}


CASES += [
    AccessCase("/practice/accounts/{pk}/", _account, role=Role.ADMINISTRATOR),
    AccessCase(
        "/practice/accounts/{pk}/", _account, method="post", data={"roles": ["editor"]},
        owner_status=302, role=Role.ADMINISTRATOR,
    ),
    AccessCase(
        "/practice/accounts/{pk}/confirm/", _account, method="post", owner_status=302,
        role=Role.ADMINISTRATOR,
    ),
    AccessCase(
        "/practice/accounts/{pk}/link/", _account, method="post", data={"link": "reset"},
        owner_status=302, role=Role.ADMINISTRATOR,
    ),
]  # fmt: skip
