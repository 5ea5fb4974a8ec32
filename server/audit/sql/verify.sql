-- Walks the whole chain in id order: each row must link to the previous row's hash
-- (the genesis hash for the first) and its own hash must match its content.
WITH chain AS (
  SELECT a.id,
         a.prev_hash = coalesce(lag(a.hash) OVER (ORDER BY a.id), audit_genesis_hash()) AS linked,
         a.hash = audit_entry_hash(a.prev_hash, a) AS intact
  FROM audit_log AS a
)
SELECT count(*)::bigint AS checked,
       min(id) FILTER (WHERE NOT (linked AND intact)) AS first_broken_id,
       max(id) AS last_id
FROM chain
