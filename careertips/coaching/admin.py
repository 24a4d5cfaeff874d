from django.contrib import admin

from careertips.coaching.models import Sharing


@admin.register(Sharing)
class SharingAdmin(admin.ModelAdmin):
    """Who shares with whom, for answering "why can't my coach see my search?". Only the
    member starts or stops sharing; notes stay out of the admin, between them."""

    list_display = ["member", "coach", "created_at"]
    search_fields = ["member__email", "coach__email"]
    list_select_related = ["member", "coach"]
    readonly_fields = ["member", "coach", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
