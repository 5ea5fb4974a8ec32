-- Accounts of a jurisdiction, by id.
--   $1 scope center   accounts of centers in its subtree only
--   $2 text           part of the user name or display name, case-insensitive (NULL = any)
--   $3 role, $4 center id (exact), $5 after (keyset: ids above it), $6 limit, $7 one user id (NULL = all)
SELECT u.id, u.username, u.display_name, u.role, u.disabled, u.must_change_password, u.last_login_at, u.created_at,
       CASE WHEN u.locked_until > now() THEN u.locked_until END AS locked_until,
       c.id AS center_id, c.code AS center_code, c.name AS center_name, c.level AS center_level
FROM users AS u
JOIN centers AS c ON c.id = u.center_id
WHERE u.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
  AND ($2::text IS NULL OR strpos(lower(u.username), lower($2::text)) > 0 OR strpos(lower(u.display_name), lower($2::text)) > 0)
  AND ($3::text IS NULL OR u.role = $3::text)
  AND ($4::bigint IS NULL OR u.center_id = $4::bigint)
  AND ($5::bigint IS NULL OR u.id > $5::bigint)
  AND ($7::bigint IS NULL OR u.id = $7::bigint)
ORDER BY u.id
LIMIT $6
