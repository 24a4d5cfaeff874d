from django.contrib import admin

from careertips.pages.models import Alliance, ContactMessage, Page, Testimonial


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "published", "in_navigation", "nav_order"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Testimonial)
class TestimonialAdmin(admin.ModelAdmin):
    list_display = ["author_name", "author_title", "approved_at", "rejected_at", "created_at"]
    list_filter = [("approved_at", admin.EmptyFieldListFilter)]
    search_fields = ["author_name", "body"]


@admin.register(Alliance)
class AllianceAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "position", "published"]


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "name", "email", "created_at", "handled_at"]
    search_fields = ["subject", "name", "email"]
    readonly_fields = ["submitted_ip"]
