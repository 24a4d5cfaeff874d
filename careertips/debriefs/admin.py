from django.contrib import admin

from careertips.debriefs.models import CallAttempt, Debrief, FeedbackTheme, ImprovementAction


class CallAttemptInline(admin.TabularInline):
    model = CallAttempt
    extra = 0


class FeedbackThemeInline(admin.TabularInline):
    model = FeedbackTheme
    extra = 0


class ImprovementActionInline(admin.TabularInline):
    model = ImprovementAction
    extra = 0
    fields = ["title", "theme", "due_on", "done_at"]
    raw_id_fields = ["theme"]


@admin.register(Debrief)
class DebriefAdmin(admin.ModelAdmin):
    list_display = ["opportunity", "owner", "status", "contact", "call_by", "thank_you_sent_at"]
    list_filter = ["status", "thank_you_channel"]
    list_select_related = ["opportunity__organization", "owner", "contact"]
    search_fields = ["opportunity__title", "opportunity__organization__name", "owner__email",
                     "contact__name"]  # fmt: skip
    raw_id_fields = ["owner", "opportunity", "contact"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "updated_at"]
    inlines = [CallAttemptInline, FeedbackThemeInline, ImprovementActionInline]

    def save_formset(self, request, form, formset, change) -> None:  # type: ignore[no-untyped-def]
        # Actions added inline belong to the debrief's member.
        for instance in formset.save(commit=False):
            if isinstance(instance, ImprovementAction):
                instance.owner_id = form.instance.owner_id
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(ImprovementAction)
class ImprovementActionAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "due_on", "done_at"]
    list_filter = ["done_at"]
    list_select_related = ["owner"]
    search_fields = ["title", "owner__email"]
    raw_id_fields = ["owner", "debrief", "theme"]
