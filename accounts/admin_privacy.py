"""The admin shows no family data it does not log (issue #8.9).

Reads of households and persons in the admin are logged (households/admin.py). One door stayed
open: the delete confirmation of a record that family data hangs on (a group, a user who wrote
visits) lists every related object by name, a household's, a follow-up's description, a
visit's date, without any log. This mixin keeps those pages to counts per kind.

Models are named by label so that this ground-level module imports no app above it.
"""

from collections import Counter
from typing import TYPE_CHECKING, Any

from django.contrib.admin import ModelAdmin
from django.contrib.admin.utils import NestedObjects
from django.db import router
from django.utils.text import capfirst

FAMILY_MODELS = frozenset(
    {
        "households.household",
        "households.person",
        "households.consent",
        "households.householdcontact",
        "households.accesslogentry",
        "visits.visit",
        "visits.visitvolunteer",
        "visits.followup",
        "visits.signal",
    }
)


def _is_family(obj) -> bool:
    return obj._meta.label_lower in FAMILY_MODELS


def _summary(objects) -> list[str]:
    counts = Counter(obj._meta for obj in objects)
    return [f"{capfirst(meta.verbose_name_plural)}: {count}" for meta, count in counts.items()]


if TYPE_CHECKING:
    _ModelAdmin = ModelAdmin[Any]  # what the mixin is mixed into
else:
    _ModelAdmin = object


class FamilyDataHiddenOnDeleteMixin(_ModelAdmin):
    """Delete confirmations name only the objects being deleted and count the rest, whenever
    family data is among what would be deleted or what blocks the deletion."""

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        collector = NestedObjects(using=router.db_for_write(self.model))
        collector.collect(list(objs))
        cascaded = [obj for model_objs in collector.model_objs.values() for obj in model_objs]
        if not any(_is_family(obj) for obj in [*cascaded, *collector.protected]):
            return to_delete, model_count, perms_needed, protected
        own = [f"{capfirst(obj._meta.verbose_name)}: {obj}" for obj in objs]
        others = [obj for obj in cascaded if obj not in set(objs)]
        return own + _summary(others), model_count, perms_needed, _summary(collector.protected)
