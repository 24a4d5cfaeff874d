"""Accounts in the admin site, for administrators: the address, the name, whether the
account is active, and its roles (read only: roles are given on the Accounts page, which
keeps the staff flag and coaching in step). Nothing of a member's search is here, and the
Mailbox is only on its own page, where account mail is redacted."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import Group
from django.http import HttpRequest

from careertips.core.models import User

# Groups are the roles; they change only through set_roles (the Accounts page, the command).
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "roles", "is_active", "date_joined"]
    list_filter = ["is_active", "groups"]
    search_fields = ["email", "display_name"]
    fields = ["email", "display_name", "is_active", "roles", "last_login", "date_joined"]
    readonly_fields = ["email", "roles", "last_login", "date_joined"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="roles")
    def roles(self, user: User) -> str:
        return ", ".join(sorted(group.name for group in user.groups.all())) or "member"

    # Accounts are made by signing up or `careertips create_account`, and deleted by their
    # owner (Your data), which exports and forgets everything first.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
