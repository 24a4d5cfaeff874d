from django.contrib import admin

from careertips.newsletter.models import (
    Article,
    BounceEvent,
    Delivery,
    Issue,
    ReaderQuestion,
    Subscriber,
)


class ArticleInline(admin.StackedInline):
    model = Article
    extra = 0
    fields = ["kind", "position", "title", "slug", "question", "signed_as", "body"]


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["__str__", "month", "status", "sent_at"]
    list_filter = ["status", "volume"]
    inlines = [ArticleInline]


@admin.register(ReaderQuestion)
class ReaderQuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "display_name", "status", "consent_to_publish", "created_at"]
    list_filter = ["status", "consent_to_publish"]
    search_fields = ["question", "email"]


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "status", "consent_source", "created_at"]
    list_filter = ["status"]
    search_fields = ["email", "name"]
    readonly_fields = ["consent_at", "consent_ip", "consent_source", "confirmed_at", "confirmed_ip"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["issue", "subscriber", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    raw_id_fields = ["issue", "subscriber"]


@admin.register(BounceEvent)
class BounceEventAdmin(admin.ModelAdmin):
    """Read-only: events are recorded by the inbound mail handler."""

    list_display = ["subscriber", "kind", "occurred_at", "detail"]
    list_filter = ["kind"]
    search_fields = ["subscriber__email"]
    list_select_related = ["subscriber"]
    raw_id_fields = ["subscriber", "message"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
