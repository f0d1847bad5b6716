-- Pull schedules run on Hangfire (docs/decisions/0012-hangfire-scheduling.md), which keeps its tables in the schema
-- "hangfire" and creates them itself at start-up. Quartz's qrtz_* tables (created by its store, decision 0008) are
-- read by nothing now: drop every one of them, whichever Quartz version made them. Nothing is lost: the schedules are
-- ours (connections.schedule_cron) and are planned again on Hangfire when a node starts.
DO $$
DECLARE
    quartz_table text;
BEGIN
    FOR quartz_table IN
        SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'qrtz\_%'
    LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', quartz_table);
    END LOOP;
END
$$;
