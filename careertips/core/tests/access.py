from careertips.core.models import CapturedEmail, InboundMessage, OutboundMail, User
from careertips.core.roles import Role
from careertips.core.testing import AccessCase


def _message(user):
    row = CapturedEmail.objects.create(
        from_email="a@example.com", to="b@example.com", subject="Hi", raw="x"
    )
    return {"pk": row.pk}


def _failed_mail(user):
    row = OutboundMail.objects.create(
        kind="debriefs.thank_you", object_id=1, owner=user, from_email="a@example.com",
        recipients="b@example.com", raw=b"Subject: Hi\n\nHi\n", status=OutboundMail.Status.FAILED,
    )  # fmt: skip
    return {"pk": row.pk, "next": "/today/"}


def _inbound(user):
    row = InboundMessage.objects.create(source="pipe", subject="Hi", digest="d", raw=b"x")
    return {"pk": row.pk}


# Staff pages: "owner" here is the staff fixture; see test_url_access for the staff matrix.
CASES = [
    AccessCase("/mailbox/{pk}/", _message, role=Role.ADMINISTRATOR),
    AccessCase(
        "/mail/{pk}/retry/",
        _failed_mail,
        method="post",
        data={"next": "{next}"},
        owner_status=302,
    ),
    AccessCase("/mailbox/inbound/{pk}/", _inbound, role=Role.ADMINISTRATOR),
]


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


def _restore(user):
    from careertips.core.models import AccountRestore

    row = AccountRestore.objects.create(owner=user, filename="data.zip", status="failed")
    return {"pk": row.pk}


CASES += [AccessCase("/settings/data/restore/{pk}/", _restore)]
