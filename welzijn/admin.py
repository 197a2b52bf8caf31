"""Admin pieces every app shares. Imports nothing of ours, so every app may use it."""

from typing import Any


class ReadOnlyAdminMixin:
    """A model admin or inline to look things up with, never to add, change or delete: what holds
    a family's data or a record of what happened changes only through the app, which checks the
    rules and writes the access log (docs/privacy.md). Put it before the admin class it limits."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
