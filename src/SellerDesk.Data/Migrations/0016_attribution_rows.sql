-- Attribution rows (metrics.md 3.1, import-and-api.md attribution.csv; issue 14): a marketplace's ad statistics or an
-- external-traffic report say that a channel drove `orders` orders of a SKU on a local date. They give marketplace
-- orders their effective channel; the engine reads them with the rest of the ledger.
--
-- Like ad_spend since 0010, every row belongs to its source (docs/decisions/0010-source-ownership.md): the connection
-- whose pull wrote it, or the nil uuid for files (and the demo seeder), and the source is part of the key, so a pull
-- restates and deletes only its own rows and a file never overwrites a connection's. Rows of two sources with the same
-- (date, marketplace, channel, sku) are both kept; the engine adds their orders up.
--
-- Provenance: a file row names its upload file and line (import_file, import_line); a pulled row names the pull run
-- that last wrote it (run_id) and the marketplace's own id of the statistics row it came from (source_row_id, the
-- source_id of its source_rows row, feed in source_feed).
CREATE TABLE attribution_rows (
    workspace_id   uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    source         uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000',
    date           date NOT NULL,
    marketplace    text COLLATE "C" NOT NULL,
    channel        text COLLATE "C" NOT NULL CHECK (channel <> 'organic' AND channel <> ''),
    sku            text COLLATE "C" NOT NULL,
    orders         integer NOT NULL CHECK (orders >= 0),
    import_file    text NULL,
    import_line    integer NULL,
    run_id         uuid NULL,
    source_feed    text COLLATE "C" NULL,
    source_row_id  text COLLATE "C" NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, date, marketplace, channel, sku, source)
);
-- A connection's rows by date (a declared-whole feed's restatement of a date range; a deleted connection's rows).
CREATE INDEX ix_attribution_rows_source ON attribution_rows (workspace_id, source, date);
