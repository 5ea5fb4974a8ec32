-- Counts one failed login; the failure that reaches $2 locks the account for $3 minutes.
-- A lock that has run out starts the count again.
UPDATE users
SET failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1 ELSE failed_logins + 1 END,
    locked_until = CASE
      WHEN (CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1 ELSE failed_logins + 1 END) >= $2
        THEN now() + make_interval(mins => $3)
      WHEN locked_until <= now() THEN NULL
      ELSE locked_until
    END
WHERE id = $1
RETURNING failed_logins, locked_until, locked_until > now() AS locked
