"""Read-side queries about visits used by more than one view."""

from collections.abc import Iterable

from django.db import connection

from groups.models import Group
from households.selectors import attach_names
from visits.models import Visit, VisitVolunteer

# The window of recent visits that decides which choices come first: large enough to be
# representative, small enough to stay one index range scan (visit_group_date_idx).
RECENT_VISITS = 300
# A visit by the user themselves weighs as much as this many visits by others in the group.
OWN_WEIGHT = 10


def usual_choices(*, group: Group, user) -> dict[str, list[str]]:
    """The topics and kinds of support this user (first) and the group use most, most used
    first: {"topics": [value, ...], "support": [value, ...]}. Values never used are absent.
    One query over the group's most recent visits, whatever the number of visits."""
    table = Visit._meta.db_table
    sql = f"""
        WITH recent AS (
            SELECT topics, support, author_id = %s AS own FROM {table}
            WHERE group_id = %s ORDER BY date DESC, created_at DESC LIMIT %s
        )
        SELECT 'topics', value, sum(CASE WHEN own THEN %s ELSE 1 END) AS weight
        FROM recent, unnest(recent.topics) AS value GROUP BY value
        UNION ALL
        SELECT 'support', value, sum(CASE WHEN own THEN %s ELSE 1 END) AS weight
        FROM recent, unnest(recent.support) AS value GROUP BY value
        ORDER BY 3 DESC, 2
    """  # noqa: S608 - the table name is ours, every value is a parameter
    usual: dict[str, list[str]] = {"topics": [], "support": []}
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, group.pk, RECENT_VISITS, OWN_WEIGHT, OWN_WEIGHT])
        for column, value, _weight in cursor.fetchall():
            usual[column].append(value)
    return usual


def with_volunteer_names(visits: Iterable[Visit]) -> list[Visit]:
    """The visits (a page of a list) as a list, each with `volunteer_names`: who was there, by
    name, in the order they were added. One query (`households.selectors.attach_names`)."""
    return attach_names(visits, VisitVolunteer.objects.all(), "visit_id", "volunteer_names")
