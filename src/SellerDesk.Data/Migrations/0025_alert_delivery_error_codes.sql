-- Delivery failures in words the page can say in either language (issue 13 point 3, decision 0026): each failed
-- attempt keeps a stable code (smtp_recipient_refused, telegram_unauthorized, webhook_timeout, ...) and its
-- arguments (the address, the status, the seconds waited); the alerts page shows them through its resource files.
-- `error` stays as the English words (logs, and attempts kept before this migration, which have no code).
ALTER TABLE alert_delivery_attempts
    ADD COLUMN error_code text NULL CHECK (error_code IS NULL OR error_code ~ '^[a-z_]{1,64}$'),
    ADD COLUMN error_args text[] NULL;

-- The overdue sweep (recurring job alerts-overdue) looks for messages whose retry is due.
CREATE INDEX ix_alert_deliveries_due ON alert_deliveries (next_attempt_at) WHERE status = 'pending';
