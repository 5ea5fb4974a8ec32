-- One audit entry, chained to the previous one (see audit_append in migrations/0002_access.sql).
SELECT audit_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb) AS id
