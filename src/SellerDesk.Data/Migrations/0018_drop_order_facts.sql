-- The per-order facts of 0014 and their rollups of 0015 are no longer read nor kept (issue 11: one engine). Every
-- report sums the facts of 0017 (line_facts, line_return_facts, customer_order_facts, attribution_claims and their
-- fact_* rollups), which OrderFactStore.RefreshAsync keeps through LineFactStore. order_facts_pending stays: 0017
-- queues existing workspaces there and start-up (OrderFactStore.BuildPendingAsync) computes their line facts.
DROP TABLE IF EXISTS report_day_returns;
DROP TABLE IF EXISTS report_days;
DROP TABLE IF EXISTS order_return_facts;
DROP TABLE IF EXISTS order_facts;
