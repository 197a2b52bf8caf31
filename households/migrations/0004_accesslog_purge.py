"""The access log has a lifetime (GDPR art. 5(1)(e)): a narrow, audited way to delete old rows.

The append-only trigger still refuses every UPDATE and every DELETE, except a DELETE of a row
older than one year made while `welzijn.accesslog_purge` is on for the transaction. Only
`welzijn_purge_access_log(cutoff)` sets it: a SECURITY DEFINER function owned by the role that
runs migrations, so the app's role (which may not DELETE from the log at all) can purge old rows
by calling it, and nothing younger than a year, whatever cutoff it passes.
"""

from django.db import migrations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION households_accesslog_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('welzijn.accesslog_purge', true) = 'on'
       AND OLD.at < now() - interval '1 year' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'access log rows cannot be changed or deleted'
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE OR REPLACE FUNCTION welzijn_purge_access_log(cutoff timestamptz) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    purged bigint;
BEGIN
    IF cutoff IS NULL OR cutoff > now() - interval '1 year' THEN
        RAISE EXCEPTION 'access log rows younger than one year are never purged'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('welzijn.accesslog_purge', 'on', true);
    DELETE FROM households_accesslogentry WHERE at < cutoff;
    GET DIAGNOSTICS purged = ROW_COUNT;
    PERFORM set_config('welzijn.accesslog_purge', 'off', true);
    RETURN purged;
END $$;
REVOKE ALL ON FUNCTION welzijn_purge_access_log(timestamptz) FROM PUBLIC;
"""

REVERSE = """
DROP FUNCTION IF EXISTS welzijn_purge_access_log(timestamptz);
CREATE OR REPLACE FUNCTION households_accesslog_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'access log rows cannot be changed or deleted'
        USING ERRCODE = 'insufficient_privilege';
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("households", "0003_retention")]

    operations = [migrations.RunSQL(sql=FUNCTIONS, reverse_sql=REVERSE)]
