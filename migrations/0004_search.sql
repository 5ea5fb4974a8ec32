-- Up Migration
-- Search (/api/search) finds cameras by code and incidents by number, exactly or by
-- prefix. The unique indexes of those columns follow the database's collation, in which
-- a prefix is not a range (glibc locales, for one, skip the '-' of 'XL-00001' on the first
-- pass), so a prefix search over 500,000 cameras or 10 million incidents would read them
-- all. These indexes are in byte order (COLLATE "C"): a prefix is one range of them, read
-- in order, and the search stops after the few rows it returns. Grids get one too; they
-- are few, but their codes are matched the same way.
CREATE INDEX cameras_code_search_idx ON cameras (code COLLATE "C");
CREATE INDEX incidents_number_search_idx ON incidents (number COLLATE "C");
CREATE INDEX grids_code_search_idx ON grids (code COLLATE "C");

-- Down Migration
DROP INDEX IF EXISTS grids_code_search_idx;
DROP INDEX IF EXISTS incidents_number_search_idx;
DROP INDEX IF EXISTS cameras_code_search_idx;
