-- $1 user, $2 new hash, $3 whether it must be changed at the next login.
UPDATE users
SET password_hash = $2, must_change_password = $3, password_changed_at = now(), failed_logins = 0, locked_until = NULL
WHERE id = $1
