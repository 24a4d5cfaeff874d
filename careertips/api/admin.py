from django.contrib import admin

from careertips.api.models import ApiToken, WebhookEndpoint


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only: tokens are made and revoked by their owners; the hash is never shown."""

    exclude = ["token_hash"]

    list_display = ["name", "owner", "prefix", "scopes", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = [
        "name", "owner", "prefix", "scopes", "created_at", "expires_at", "last_used_at",
        "revoked_at",
    ]  # fmt: skip

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    exclude = ["secret"]
    list_display = ["url", "owner", "is_active", "failure_streak", "created_at"]
    readonly_fields = ["url", "owner", "events", "is_active", "disabled_reason", "failure_streak"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
