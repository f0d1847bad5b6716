-- Faster fact writes (issue 11 point 4; docs/benchmarks.md "Fact writes: foreign keys and a redundant index"). The
-- facts and their rollups are written only by the facts refresh (LineFactStore), inside a ledger write that has
-- checked that its workspace exists and holds its ledger lock, so their per-row foreign-key check of workspace_id
-- proved nothing and cost about 4 s per million rows written (a COPY of 881,812 customer order facts: 17.4 s with it,
-- 13.2 s without). sales_lines dropped its own for the same reason in migration 0004. No code deletes a workspace.
ALTER TABLE line_facts DROP CONSTRAINT IF EXISTS line_facts_workspace_id_fkey;
ALTER TABLE customer_order_facts DROP CONSTRAINT IF EXISTS customer_order_facts_workspace_id_fkey;
ALTER TABLE attribution_claims DROP CONSTRAINT IF EXISTS attribution_claims_workspace_id_fkey;
ALTER TABLE fact_sku_days DROP CONSTRAINT IF EXISTS fact_sku_days_workspace_id_fkey;
ALTER TABLE fact_channel_days DROP CONSTRAINT IF EXISTS fact_channel_days_workspace_id_fkey;
ALTER TABLE fact_customer_days DROP CONSTRAINT IF EXISTS fact_customer_days_workspace_id_fkey;
ALTER TABLE fact_customer_counts DROP CONSTRAINT IF EXISTS fact_customer_counts_workspace_id_fkey;
ALTER TABLE fact_sku_months DROP CONSTRAINT IF EXISTS fact_sku_months_workspace_id_fkey;
ALTER TABLE fact_customer_months DROP CONSTRAINT IF EXISTS fact_customer_months_workspace_id_fkey;
ALTER TABLE fact_customer_count_months DROP CONSTRAINT IF EXISTS fact_customer_count_months_workspace_id_fkey;
ALTER TABLE fact_channel_totals DROP CONSTRAINT IF EXISTS fact_channel_totals_workspace_id_fkey;
ALTER TABLE fact_claim_days DROP CONSTRAINT IF EXISTS fact_claim_days_workspace_id_fkey;

-- (workspace_id, marketplace, order_date) is served by ix_customer_order_facts_keyset (workspace_id, order_date,
-- marketplace, order_id) of migration 0022: every query that reads a day of a marketplace gives both columns.
DROP INDEX IF EXISTS ix_customer_order_facts_date;
