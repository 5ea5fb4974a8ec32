-- The account a login names, with its center. $1 user name (compared in lower case).
SELECT u.id, u.username, u.display_name, u.role, u.password_hash, u.must_change_password, u.disabled,
       u.locked_until, u.locked_until > now() AS locked,
       c.id AS center_id, c.code AS center_code, c.name AS center_name, c.level AS center_level
FROM users AS u
JOIN centers AS c ON c.id = u.center_id
WHERE u.username = lower($1)
