-- Source row keys compared byte-wise, as the ledger's keys are since 0005 (docs/benchmarks.md "Wildberries pull"): the
-- merge of a 200 000-line pull inserts into three B-trees on text keys of source_rows (feed and source id; order key),
-- and every comparison in the database's libc collation (C.UTF-8 here) is a strcoll() call. Nothing depends on the
-- order of these keys beyond grouping equal ones (the derivation reads rows ordered by order key only so that each
-- order's rows come together), and equality is the same in either collation. pull_staging follows, so the merge's
-- joins and DISTINCT ON compare in "C" too.
ALTER TABLE source_rows
    ALTER COLUMN feed TYPE text COLLATE "C",
    ALTER COLUMN source_id TYPE text COLLATE "C",
    ALTER COLUMN order_key TYPE text COLLATE "C";

ALTER TABLE pull_staging
    ALTER COLUMN feed TYPE text COLLATE "C",
    ALTER COLUMN source_id TYPE text COLLATE "C",
    ALTER COLUMN order_key TYPE text COLLATE "C";
