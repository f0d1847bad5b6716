-- Workspaces, API tokens and the five ledger tables of import-and-api.md.
-- Every ledger row carries its workspace id; keys are the files' keys.

CREATE TABLE workspaces (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    time_zone   text NOT NULL DEFAULT 'Europe/Moscow',
    currency    text NOT NULL DEFAULT 'RUB',
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ux_workspaces_name UNIQUE (name)
);

CREATE TABLE api_tokens (
    id            uuid PRIMARY KEY,
    workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    token_hash    text NOT NULL,
    role          text NOT NULL,
    name          text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz NULL,
    CONSTRAINT ux_api_tokens_hash UNIQUE (token_hash)
);
CREATE INDEX ix_api_tokens_workspace ON api_tokens (workspace_id);

CREATE TABLE sales_lines (
    workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    marketplace   text NOT NULL,
    order_id      text NOT NULL,
    line_id       text NOT NULL,
    ordered_at    timestamptz NOT NULL,
    customer_id   text NULL,
    channel       text NOT NULL,
    sku           text NOT NULL,
    quantity      integer NOT NULL CHECK (quantity > 0),
    revenue       numeric NOT NULL,
    commission    numeric NOT NULL,
    logistics     numeric NOT NULL,
    acquiring     numeric NOT NULL,
    other_fees    numeric NOT NULL,
    PRIMARY KEY (workspace_id, marketplace, order_id, line_id)
);
CREATE INDEX ix_sales_lines_ordered_at ON sales_lines (workspace_id, ordered_at);

CREATE TABLE returns (
    workspace_id      uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    marketplace       text NOT NULL,
    order_id          text NOT NULL,
    line_id           text NOT NULL,
    return_id         text NOT NULL,
    returned_at       timestamptz NOT NULL,
    quantity          integer NOT NULL CHECK (quantity > 0),
    refund            numeric NOT NULL,
    commission_refund numeric NOT NULL,
    return_logistics  numeric NOT NULL,
    restockable       boolean NOT NULL,
    reason            text NULL,
    PRIMARY KEY (workspace_id, marketplace, order_id, line_id, return_id),
    FOREIGN KEY (workspace_id, marketplace, order_id, line_id)
        REFERENCES sales_lines (workspace_id, marketplace, order_id, line_id) ON DELETE CASCADE
);

CREATE TABLE ad_spend (
    workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    date          date NOT NULL,
    marketplace   text NOT NULL,
    channel       text NOT NULL,
    amount        numeric NOT NULL,
    PRIMARY KEY (workspace_id, date, marketplace, channel)
);

CREATE TABLE period_fees (
    workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    date          date NOT NULL,
    marketplace   text NOT NULL,
    kind          text NOT NULL,
    amount        numeric NOT NULL,
    PRIMARY KEY (workspace_id, date, marketplace, kind)
);

CREATE TABLE unit_costs (
    workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    sku           text NOT NULL,
    valid_from    date NOT NULL,
    unit_cost     numeric NOT NULL,
    PRIMARY KEY (workspace_id, sku, valid_from)
);
