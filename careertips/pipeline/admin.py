from django.contrib import admin

from careertips.pipeline.models import Interview, Opportunity, StageChange


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    fields = ["changed_at", "from_stage", "to_stage", "note"]
    readonly_fields = ["changed_at", "from_stage", "to_stage", "note"]
    can_delete = False

    # The history is a record: it is written by moves, never edited by hand.
    def has_add_permission(self, request, obj=None) -> bool:
        return False


class InterviewInline(admin.TabularInline):
    model = Interview
    extra = 0
    fields = ["scheduled_at", "kind", "duration_minutes", "thank_you_sent_at"]
    show_change_link = True


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "owner", "stage", "source", "stage_changed_at"]
    list_filter = ["stage", "source", "work_mode"]
    search_fields = ["title", "organization__name", "location", "owner__email"]
    list_select_related = ["organization", "owner"]
    raw_id_fields = ["owner", "organization", "hiring_manager"]
    readonly_fields = ["stage", "stage_changed_at", "created_at", "updated_at"]
    date_hierarchy = "stage_changed_at"
    inlines = [StageChangeInline, InterviewInline]


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["opportunity", "from_stage", "to_stage", "changed_at"]
    list_filter = ["to_stage"]
    list_select_related = ["opportunity__organization"]
    search_fields = ["opportunity__title", "note"]
    raw_id_fields = ["opportunity"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["opportunity", "kind", "scheduled_at", "thank_you_sent_at"]
    list_filter = ["kind"]
    list_select_related = ["opportunity__organization"]
    search_fields = ["opportunity__title", "opportunity__organization__name"]
    raw_id_fields = ["opportunity", "interviewers"]
