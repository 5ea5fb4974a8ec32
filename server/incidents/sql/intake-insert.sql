-- A new incident, numbered from its own id (SJ<day in China>-<id>, unique as the id is),
-- as attributed by intake-attribute.sql. The deadline comes from incident_deadlines
-- (trigger incidents_default_due). A concurrent report with the same key wins the race
-- and this one inserts nothing (the caller reads the winner).
--   $1 category $2 severity $3 title $4 description $5 lon $6 lat $7 address $8 source
--   $9 reporter name $10 phone $11 ID number  $12 grid $13 center $14 boundary flag
--   $15 outside flag $16 attribution  $17 occurred at (NULL: now)  $18 idempotency key
--   $19 request hash
WITH n AS (SELECT nextval(pg_get_serial_sequence('incidents', 'id')) AS id)
INSERT INTO incidents (id, number, category, severity, title, description, location, address, source,
                       reporter_name, reporter_phone, reporter_id_number, grid_id, center_id, boundary_flag,
                       outside_flag, attribution, occurred_at, idempotency_key, request_hash)
OVERRIDING SYSTEM VALUE
SELECT n.id, 'SJ' || to_char(now() AT TIME ZONE 'UTC' + interval '8 hours', 'YYYYMMDD') || '-' || lpad(n.id::text, 8, '0'),
       $1, $2, $3, $4, ST_SetSRID(ST_MakePoint($5::float8, $6::float8), 4326), $7, $8,
       $9, $10, $11, $12, $13, $14, $15, $16::jsonb,
       least(coalesce($17::timestamptz, now()), now()), $18, $19
FROM n
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING id, status, center_id
