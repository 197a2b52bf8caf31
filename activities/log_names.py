"""How the access log names the activities and board seats its rows refer to ('activity:3'):
registered with households.log_fields by ActivitiesConfig.ready()."""

from collections.abc import Mapping
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.translation import gettext

from activities.models import Activity, BoardSeat
from groups.formats import short_date


def _by_group(keys: Mapping[int, set[str]]) -> Q | None:
    """One condition for every (group, pk) asked: a key is only looked up in its row's group."""
    conditions = [
        Q(group_id=group_id, pk__in=[int(key) for key in group_keys if key.isascii() and key.isdigit()])
        for group_id, group_keys in keys.items()
    ]
    return reduce(or_, conditions) if conditions else None


def name_activities(keys: Mapping[int, set[str]]) -> dict[tuple[int, str], str]:
    """'activiteit "Soepnamiddag" van 3 dec. 2026' for each activity asked, in one query."""
    condition = _by_group(keys)
    if condition is None:
        return {}
    text = gettext("activiteit “%(title)s” van %(date)s")
    return {
        (group_id, str(pk)): text % {"title": title, "date": short_date(starts_at, with_year=True)}
        for pk, group_id, title, starts_at in Activity.objects.filter(condition).values_list(
            "pk", "group_id", "title", "starts_at"
        )
    }


def name_seats(keys: Mapping[int, set[str]]) -> dict[tuple[int, str], str]:
    """'plaats in de kerngroep sinds 1 jan. 2026' for each seat asked, in one query."""
    condition = _by_group(keys)
    if condition is None:
        return {}
    text = gettext("plaats in de kerngroep sinds %(date)s")
    return {
        (group_id, str(pk)): text % {"date": short_date(started_on, with_year=True)}
        for pk, group_id, started_on in BoardSeat.objects.filter(condition).values_list(
            "pk", "group_id", "started_on"
        )
    }
