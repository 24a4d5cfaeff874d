from django.contrib import admin

from careertips.agenda.models import AgendaSettings, DigestLog


@admin.register(DigestLog)
class DigestLogAdmin(admin.ModelAdmin):
    """Which digests went out, for answering "did I get mine today?"."""

    list_display = ["owner", "local_date", "status", "item_count", "sent_at"]
    list_filter = ["status", "local_date"]
    search_fields = ["owner__email"]
    list_select_related = ["owner"]
    readonly_fields = ["owner", "local_date", "status", "item_count", "sent_at", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AgendaSettings)
class AgendaSettingsAdmin(admin.ModelAdmin):
    list_display = ["owner", "digest_enabled", "digest_hour", "calendar_token_created_at"]
    list_filter = ["digest_enabled"]
    search_fields = ["owner__email"]
    list_select_related = ["owner"]
    # The token hash is no use to anyone and stays out of sight.
    fields = ["owner", "digest_enabled", "digest_hour", "calendar_token_created_at"]
    readonly_fields = ["owner", "calendar_token_created_at"]

    def has_add_permission(self, request) -> bool:
        return False
