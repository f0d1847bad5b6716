-- Wildberries ad spend per campaign (issue 14): a charge of campaign 123 now lands on channel `wb_adv_123` (named
-- after the campaign), not on `wb_ads`. Every date a Wildberries connection holds ad charges for is marked pending, so
-- the connection's next pull derives it again with the new mapping: it writes the campaign channels and deletes that
-- connection's `wb_ads` rows of those dates (stale period rows of a derived date are deleted by source), so old
-- spend is restated, never counted twice. Files' `wb_ads` rows (source nil) are not touched.
INSERT INTO source_pending_dates (connection_id, business_date)
SELECT DISTINCT s.connection_id, s.business_date
FROM source_rows AS s
JOIN connections AS c ON c.id = s.connection_id
WHERE s.feed = 'wb.ads' AND c.marketplace = 'wildberries'
ON CONFLICT DO NOTHING;
