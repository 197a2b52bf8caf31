"""Row-level security: PostgreSQL itself keeps each group's rows to that group.

The second line of defence behind the group door (`groups.access.group_view`): every
group-owned table has row-level security enabled and forced, with one policy on `group_id`
(`rls.operations.enable_for`). A transaction sees a group's rows only after it said which
group(s) it works for (`rls.scope`); without that, a query on a group-owned table returns no
rows and an insert is refused. The app connects as a role that owns nothing
(`rls.roles`); the migration role owns the schema. See docs/architecture.md, "Row-level
security", and docs/deploy.md, "Database roles".
"""
