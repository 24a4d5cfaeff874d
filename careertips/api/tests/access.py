from careertips.api.services.tokens import create_token
from careertips.api.services.webhooks import create_endpoint
from careertips.core.testing import AccessCase


def _token(user):
    return {"pk": create_token(owner=user, name="Sheet", scopes=["read"])[0].pk}


def _endpoint(user, settings=None):
    from django.test import override_settings

    with override_settings(API_WEBHOOK_ALLOW_PRIVATE=True):
        endpoint = create_endpoint(
            owner=user, url="http://127.0.0.1:9/hook", events=["debrief.opened"]
        )
    return {"pk": endpoint.pk}


CASES = [
    AccessCase("/settings/api/tokens/{pk}/revoke/", _token, "post", owner_status=302),
    AccessCase("/settings/api/webhooks/{pk}/", _endpoint),
    AccessCase("/settings/api/webhooks/{pk}/enable/", _endpoint, "post", owner_status=302),
    AccessCase("/settings/api/webhooks/{pk}/test/", _endpoint, "post", owner_status=302),
    AccessCase("/settings/api/webhooks/{pk}/delete/", _endpoint, "post", owner_status=302),
]
