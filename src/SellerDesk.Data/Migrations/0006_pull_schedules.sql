-- Scheduled pulls (docs/decisions/0008-scheduling.md): the fire time Quartz scheduled a run for, so run history says
-- which scheduled slot a run served and a slot can be told apart from a manual run; Quartz's own qrtz_* tables are
-- created by its store at scheduler start-up (SchemaProvisioning.CreateIfMissing, after these migrations).
ALTER TABLE pull_runs ADD COLUMN scheduled_for timestamptz NULL;
-- The scheduler instance (node) that carried the run out.
ALTER TABLE pull_runs ADD COLUMN node text NULL;
-- What the connector said a run should know ("Ozon's finance method is switched off: no fees this run").
ALTER TABLE pull_runs ADD COLUMN notices text NULL;
CREATE INDEX ix_pull_runs_workspace ON pull_runs (workspace_id, created_at DESC);
