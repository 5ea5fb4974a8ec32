-- $1 user; $2 new password hash when the stored one used older parameters, else NULL.
UPDATE users
SET failed_logins = 0, locked_until = NULL, last_login_at = now(), password_hash = coalesce($2, password_hash)
WHERE id = $1
