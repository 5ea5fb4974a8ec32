UPDATE access_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL
