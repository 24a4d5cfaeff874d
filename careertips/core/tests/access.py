from careertips.core.models import CapturedEmail, InboundMessage
from careertips.core.testing import AccessCase


def _message(user):
    row = CapturedEmail.objects.create(
        from_email="a@example.com", to="b@example.com", subject="Hi", raw="x"
    )
    return {"pk": row.pk}


def _inbound(user):
    row = InboundMessage.objects.create(source="pipe", subject="Hi", digest="d", raw=b"x")
    return {"pk": row.pk}


# Staff pages: "owner" here is the staff fixture; see test_url_access for the staff matrix.
CASES = [
    AccessCase("/mailbox/{pk}/", _message, staff_only=True),
    AccessCase("/mailbox/inbound/{pk}/", _inbound, staff_only=True),
]
