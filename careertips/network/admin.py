from django.contrib import admin

from careertips.network.models import (
    Contact,
    Event,
    EventAttendance,
    ImportBatch,
    Organization,
    Tag,
    Touchpoint,
)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "owner", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "owner__email"]
    raw_id_fields = ["owner"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "owner"]
    search_fields = ["name", "owner__email"]
    raw_id_fields = ["owner"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "relationship", "warmth", "next_touch_on", "owner"]
    list_filter = ["relationship", "warmth"]
    search_fields = ["name", "email", "owner__email"]
    raw_id_fields = ["owner", "organization", "meet_at", "tags"]
    list_select_related = ["organization", "owner"]


class EventAttendanceInline(admin.TabularInline):
    model = EventAttendance
    raw_id_fields = ["contact"]
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "starts_at", "organization", "owner"]
    list_filter = ["kind"]
    search_fields = ["name", "place", "owner__email"]
    raw_id_fields = ["owner", "organization"]
    inlines = [EventAttendanceInline]
    date_hierarchy = "starts_at"


@admin.register(Touchpoint)
class TouchpointAdmin(admin.ModelAdmin):
    list_display = ["contact", "kind", "happened_on", "owner"]
    list_filter = ["kind"]
    search_fields = ["contact__name", "note", "owner__email"]
    raw_id_fields = ["owner", "contact", "event"]
    date_hierarchy = "happened_on"


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["filename", "source", "status", "created_count", "updated_count", "owner"]
    list_filter = ["source", "status"]
    raw_id_fields = ["owner"]
    exclude = ["rows"]
    readonly_fields = ["notes"]

    def get_queryset(self, request):  # -> QuerySet[ImportBatch]
        # The parsed file can run to megabytes; no admin page shows it.
        return super().get_queryset(request).defer("rows")
