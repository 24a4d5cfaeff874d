from careertips.core.models import CapturedEmail, OutboundMail
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


# Staff pages: "owner" here is the staff fixture; see test_url_access for the staff matrix.
CASES = [
    AccessCase("/mailbox/{pk}/", _message, staff_only=True),
    AccessCase(
        "/mail/{pk}/retry/",
        _failed_mail,
        method="post",
        data={"next": "{next}"},
        owner_status=302,
    ),
]
