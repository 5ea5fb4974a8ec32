-- $1 user name, $2 display name, $3 role, $4 center, $5 password hash. Must change it at first login.
INSERT INTO users (username, display_name, role, center_id, password_hash, must_change_password, password_changed_at)
VALUES ($1, $2, $3, $4, $5, true, now())
RETURNING id
