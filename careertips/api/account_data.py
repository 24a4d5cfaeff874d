"""What of a member's data the API holds, for their archive (see core.account_data)."""

from careertips.api.models import ApiToken, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from careertips.core.account_data import Restore, Rows

# Restoring: nothing of the API comes back, since its secrets were never exported.
RESTORE_AFTER: tuple[str, ...] = ()
NO_SECRET = Restore(skip="its secret is not in the archive: create a new token")
NO_SIGNING_KEY = Restore(skip="its signing key is not in the archive: add the endpoint again")

EXPORTS = [
    # Secrets are never exported: a token's hash, an endpoint's signing key.
    Rows(
        "api/tokens.json",
        lambda user: ApiToken.objects.filter(owner=user),
        ("token_hash",),
        NO_SECRET,
    ),
    Rows(
        "api/webhook_endpoints.json",
        lambda user: WebhookEndpoint.objects.filter(owner=user),
        ("secret",),
        NO_SIGNING_KEY,
    ),
    Rows(
        "api/webhook_deliveries.json",
        lambda user: WebhookDelivery.objects.filter(endpoint__owner=user),
        restore=NO_SIGNING_KEY,
    ),
    Rows(
        "api/webhook_attempts.json",
        lambda user: WebhookAttempt.objects.filter(delivery__endpoint__owner=user),
        restore=NO_SIGNING_KEY,
    ),
]
