from django.contrib import admin

from careertips.stories.models import Competency


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    """Staff keep the default list every member shares; members' own stories stay private,
    so they are not in the admin at all."""

    list_display = ["name", "created_at"]
    search_fields = ["name"]
    fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(owner__isnull=True)
