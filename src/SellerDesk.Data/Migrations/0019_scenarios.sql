-- Saved what-if scenarios (issue 13, metrics.md section 6): a name and the adjustments, as the API's JSON
-- (snake_case fields of POST /api/v1/scenarios/evaluate). The period is not saved: a shared link carries it.
-- Keys begin with workspace_id (Citus distribution by workspace); created_by names the member who saved it, without a
-- foreign key to users, whose key does not.
CREATE TABLE scenarios (
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    id           uuid NOT NULL,
    name         text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    adjustments  jsonb NOT NULL CHECK (jsonb_typeof(adjustments) = 'array'),
    created_by   uuid NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id),
    UNIQUE (workspace_id, name)
);
