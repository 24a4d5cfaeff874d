"""What of a member's data the API holds, for their archive (see core.account_data)."""

from careertips.api.models import ApiToken, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from careertips.core.account_data import Rows

EXPORTS = [
    # Secrets are never exported: a token's hash, an endpoint's signing key.
    Rows("api/tokens.json", lambda user: ApiToken.objects.filter(owner=user), ("token_hash",)),
    Rows(
        "api/webhook_endpoints.json",
        lambda user: WebhookEndpoint.objects.filter(owner=user),
        ("secret",),
    ),
    Rows(
        "api/webhook_deliveries.json",
        lambda user: WebhookDelivery.objects.filter(endpoint__owner=user),
    ),
    Rows(
        "api/webhook_attempts.json",
        lambda user: WebhookAttempt.objects.filter(delivery__endpoint__owner=user),
    ),
]
