-- An earlier report with this idempotency key: its id, the hash of what it carried, and
-- whether the caller may see it. $1 key, $2 scope center.
SELECT i.id, i.request_hash, i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $2) AS in_scope
FROM incidents AS i
WHERE i.idempotency_key = $1
