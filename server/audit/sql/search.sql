-- Audit entries newest first, for an auditor.
--   $1 scope center   the auditor's center: entries of users in its subtree; a root
--                     (district) auditor also sees entries without a center (unknown user names)
--   $2 from, $3 to    timestamptz range (NULL = open)
--   $4 username       exact user name, case-insensitive (NULL = any)
--   $5 action         exact action or a prefix ending in '.' (NULL = any)
--   $6 outcome        success | failure | denied (NULL = any)
--   $7 object_type, $8 object_id (NULL = any)
--   $9 before         keyset cursor: only ids below it (NULL = from the newest)
--   $10 limit
SELECT id, at, user_id, username, role, center_id, ip, action, object_type, object_id, outcome, detail
FROM audit_log AS a
WHERE (a.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
       OR (a.center_id IS NULL AND EXISTS (SELECT 1 FROM centers WHERE id = $1 AND parent_id IS NULL)))
  AND ($2::timestamptz IS NULL OR a.at >= $2::timestamptz)
  AND ($3::timestamptz IS NULL OR a.at < $3::timestamptz)
  AND ($4::text IS NULL OR lower(a.username) = lower($4::text))
  AND ($5::text IS NULL OR a.action = $5::text OR (right($5::text, 1) = '.' AND starts_with(a.action, $5::text)))
  AND ($6::text IS NULL OR a.outcome = $6::text)
  AND ($7::text IS NULL OR a.object_type = $7::text)
  AND ($8::text IS NULL OR a.object_id = $8::text)
  AND ($9::bigint IS NULL OR a.id < $9::bigint)
ORDER BY a.id DESC
LIMIT $10
