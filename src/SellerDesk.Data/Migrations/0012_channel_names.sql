-- Display names of channel codes, per workspace (issue 9: "blogger_anna" shown as the name the seller gave it).
-- Edited on the channels page; a code without a row is shown as it is.
CREATE TABLE channel_names (
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    channel      text NOT NULL,
    display_name text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 100),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, channel)
);
