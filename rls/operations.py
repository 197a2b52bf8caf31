"""Migration operations that put a group-owned table under row-level security.

    from rls.operations import enable_for

    class Migration(migrations.Migration):
        operations = [*enable_for("activities_activity")]

`enable_for(table)` enables and forces row-level security on `table` (forced: the table's owner
is held to the policy too) and creates the one policy, `welzijn_group_rows`, for every command.
A row is visible and writable when its `group_id` is in the transaction's `welzijn.group_ids`,
or when the transaction set `welzijn.all_groups` (see `rls.scope`).

The group half is a condition on `group_id` read once per statement (the setting in a scalar
subquery, an InitPlan), so the `group_id` indexes serve a query that names no group. The
all-groups half is a yes/no read once per statement, not a condition on a column: the planner
then counts the policy as letting about half the rows through, and plans the application's own
filters (`group_id = 5 ORDER BY date DESC LIMIT 25` walks the (group, date) index; a search
across every group uses its trigram index). An earlier policy wrote the all-groups half as a
range on `group_id`; the planner took both halves for narrow filters on the same column, guessed
a twentieth of the rows, and sorted thousands of rows instead of walking the index
(docs/architecture.md "Row-level security"). `tests/test_rls.py` fails for any table of a model
with a `group` foreign key that lacks forced row-level security and this policy as it is here.
"""

import re

from django.db import migrations

POLICY = "welzijn_group_rows"
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

_GROUP_IDS = "(SELECT string_to_array(current_setting('welzijn.group_ids', true), ',')::bigint[])::bigint[]"
_ALL_GROUPS = "(SELECT coalesce(current_setting('welzijn.all_groups', true) = 'on', false))"


def policy_condition(column: str = "group_id") -> str:
    """The SQL condition of the policy for a table whose group column is `column`."""
    _check(column)
    return f"({column} = ANY ({_GROUP_IDS}) OR {_ALL_GROUPS})"


def enable_sql(table: str, column: str = "group_id") -> str:
    _check(table)
    condition = policy_condition(column)
    return (
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;\n"
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY;\n"
        f"CREATE POLICY {POLICY} ON {table} FOR ALL\n"
        f"    USING {condition}\n"
        f"    WITH CHECK {condition};"
    )


def disable_sql(table: str) -> str:
    _check(table)
    return (
        f"DROP POLICY IF EXISTS {POLICY} ON {table};\n"
        f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;\n"
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;"
    )


def enable_for(table: str, column: str = "group_id") -> list[migrations.RunSQL]:
    """The operations that put `table` under the group policy (reversible). Raises ValueError
    for a name that is not a plain lower-case SQL identifier."""
    return [migrations.RunSQL(sql=enable_sql(table, column), reverse_sql=disable_sql(table))]


def _check(name: str) -> None:
    if not _IDENTIFIER.match(name):
        raise ValueError(f"{name!r} is not a plain lower-case SQL identifier.")
