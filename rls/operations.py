"""Migration operations that put a group-owned table under row-level security.

    from rls.operations import enable_for

    class Migration(migrations.Migration):
        operations = [*enable_for("activities_activity")]

`enable_for(table)` enables and forces row-level security on `table` (forced: the table's owner
is held to the policy too) and creates the one policy, `welzijn_group_rows`, for every command.
A row is visible and writable when its `group_id` is in the transaction's `welzijn.group_ids`,
or when the transaction set `welzijn.all_groups` (see `rls.scope`).

Both conditions are written so that PostgreSQL can use the `group_id` index for them: each
setting is read once per statement in a scalar subquery (an InitPlan), and the all-groups case
is a range on `group_id`, so the planner combines two index scans (BitmapOr) instead of
filtering every row. `tests/test_rls.py` fails for any table of a model with a `group` foreign
key that lacks forced row-level security and this policy.
"""

import re

from django.db import migrations

POLICY = "welzijn_group_rows"
MAX_BIGINT = 9223372036854775807
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

_GROUP_IDS = "(SELECT string_to_array(current_setting('welzijn.group_ids', true), ',')::bigint[])::bigint[]"
_ALL_FROM = "(SELECT CASE WHEN current_setting('welzijn.all_groups', true) = 'on' THEN 0 END)"
_ALL_TO = f"(SELECT CASE WHEN current_setting('welzijn.all_groups', true) = 'on' THEN {MAX_BIGINT} END)"


def policy_condition(column: str = "group_id") -> str:
    """The SQL condition of the policy for a table whose group column is `column`."""
    _check(column)
    return f"({column} = ANY ({_GROUP_IDS}) OR {column} BETWEEN {_ALL_FROM} AND {_ALL_TO})"


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
