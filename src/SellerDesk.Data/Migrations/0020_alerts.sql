-- Alerts (issue 13 point 3) and the morning digest (point 5), decision 0026. Every key begins with workspace_id.

-- Who is told: an e-mail address, a Telegram chat (the bot token is encrypted like connection credentials) or a
-- webhook (its signing secret encrypted the same way). `digest`: this recipient also gets the morning digest.
CREATE TABLE alert_recipients (
    workspace_id     uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    id               uuid NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('email', 'telegram', 'webhook')),
    name             text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    address          text NOT NULL CHECK (length(address) BETWEEN 1 AND 2000),
    protected_secret text NULL,
    culture          text NOT NULL DEFAULT 'ru' CHECK (culture IN ('ru', 'en')),
    digest           boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id)
);

-- What is watched, with its threshold (its meaning depends on the kind: minimum spend, percentage points, lines,
-- payout difference, profit floor).
CREATE TABLE alert_rules (
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    id           uuid NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('channel_cut', 'return_loss_rise', 'fee_rate_rise', 'missing_cost',
                                               'pull_problem', 'reconciliation', 'profit_floor')),
    threshold    numeric NULL,
    enabled      boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id)
);

CREATE TABLE alert_rule_recipients (
    workspace_id uuid NOT NULL,
    rule_id      uuid NOT NULL,
    recipient_id uuid NOT NULL,
    PRIMARY KEY (workspace_id, rule_id, recipient_id),
    FOREIGN KEY (workspace_id, rule_id) REFERENCES alert_rules (workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, recipient_id) REFERENCES alert_recipients (workspace_id, id) ON DELETE CASCADE
);

-- One row per time a condition held: opened when first seen, cleared when an evaluation no longer finds it. While it
-- is open the same (rule, subject) is not opened again: no repeats until it clears.
CREATE TABLE alerts (
    workspace_id uuid NOT NULL,
    id           uuid NOT NULL,
    rule_id      uuid NOT NULL,
    subject      text NOT NULL,
    text_en      text NOT NULL,
    text_ru      text NOT NULL,
    value        numeric NULL,
    opened_at    timestamptz NOT NULL DEFAULT now(),
    cleared_at   timestamptz NULL,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, rule_id) REFERENCES alert_rules (workspace_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX ux_alerts_open ON alerts (workspace_id, rule_id, subject) WHERE cleared_at IS NULL;
CREATE INDEX ix_alerts_opened ON alerts (workspace_id, opened_at DESC);

-- A message to one recipient: an alert's (alert_id set) or a digest's (alert_id null). Sent at once; a failure is
-- retried with backoff until max attempts, each attempt kept in alert_delivery_attempts (the alert's history).
CREATE TABLE alert_deliveries (
    workspace_id    uuid NOT NULL,
    id              uuid NOT NULL,
    alert_id        uuid NULL,
    recipient_id    uuid NOT NULL,
    subject         text NOT NULL,
    body            text NOT NULL,
    payload         jsonb NOT NULL,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NULL,
    sent_at         timestamptz NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, alert_id) REFERENCES alerts (workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, recipient_id) REFERENCES alert_recipients (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX ix_alert_deliveries_alert ON alert_deliveries (workspace_id, alert_id);

CREATE TABLE alert_delivery_attempts (
    workspace_id uuid NOT NULL,
    delivery_id  uuid NOT NULL,
    attempt      integer NOT NULL,
    at           timestamptz NOT NULL DEFAULT now(),
    succeeded    boolean NOT NULL,
    error        text NULL,
    PRIMARY KEY (workspace_id, delivery_id, attempt),
    FOREIGN KEY (workspace_id, delivery_id) REFERENCES alert_deliveries (workspace_id, id) ON DELETE CASCADE
);

-- Until when a member has seen the bell's alerts (unread = opened later).
CREATE TABLE alert_reads (
    workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    seen_at      timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);

-- The morning digest: on or off, the local hour it goes at, and the last local day it went (sent once a day).
CREATE TABLE alert_settings (
    workspace_id   uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    digest_enabled boolean NOT NULL DEFAULT false,
    digest_hour    integer NOT NULL DEFAULT 8 CHECK (digest_hour BETWEEN 0 AND 23),
    last_digest_on date NULL,
    PRIMARY KEY (workspace_id)
);
