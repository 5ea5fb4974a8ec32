-- Incidents by id ($1 bigint[]) as the incident list shows them, personal data masked. No
-- jurisdiction filter: the caller (the live stream's outbox row) decides who sees them.
SELECT /*summary-columns*/
FROM incidents AS i
WHERE i.id = ANY ($1::bigint[])
