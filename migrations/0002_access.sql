-- Up Migration
-- Access control: the jurisdiction tree every scoped query joins, browser sessions,
-- personal access tokens, masking of reporters' personal data, and the append-only,
-- hash-chained audit trail.

-- Every center with each of its ancestors (and itself at depth 0). A caller's
-- jurisdiction is `SELECT center_id FROM center_tree WHERE ancestor_id = <their center>`,
-- which the planner turns into a semi-join on an index instead of a recursive query
-- per request. Rebuilt whole by a statement trigger: centers change rarely and a
-- province has a few tens of thousands of them.
CREATE TABLE center_tree (
  ancestor_id  bigint NOT NULL REFERENCES centers (id) ON DELETE CASCADE,
  center_id    bigint NOT NULL REFERENCES centers (id) ON DELETE CASCADE,
  depth        smallint NOT NULL CHECK (depth >= 0),
  PRIMARY KEY (ancestor_id, center_id)
);
CREATE INDEX center_tree_center_idx ON center_tree (center_id);

CREATE FUNCTION center_tree_rebuild() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM center_tree;
  INSERT INTO center_tree (ancestor_id, center_id, depth)
  WITH RECURSIVE up AS (
    SELECT id AS center_id, id AS ancestor_id, parent_id, 0 AS depth FROM centers
    UNION ALL
    SELECT up.center_id, c.id, c.parent_id, up.depth + 1
    FROM up JOIN centers AS c ON c.id = up.parent_id
  )
  SELECT ancestor_id, center_id, depth FROM up;
  RETURN NULL;
END $$;
CREATE TRIGGER center_tree_sync AFTER INSERT OR UPDATE OF parent_id OR DELETE ON centers
  FOR EACH STATEMENT EXECUTE FUNCTION center_tree_rebuild();
-- TRUNCATE of centers cascades to center_tree through the foreign keys.
INSERT INTO center_tree (ancestor_id, center_id, depth)
WITH RECURSIVE up AS (
  SELECT id AS center_id, id AS ancestor_id, parent_id, 0 AS depth FROM centers
  UNION ALL
  SELECT up.center_id, c.id, c.parent_id, up.depth + 1 FROM up JOIN centers AS c ON c.id = up.parent_id
)
SELECT ancestor_id, center_id, depth FROM up;

ALTER TABLE users ADD COLUMN last_login_at timestamptz;

-- Browser sessions. The cookie holds a random secret; only its SHA-256 is stored,
-- so a copy of the database does not let anyone in. `id` is the public handle used to
-- list and revoke sessions.
CREATE TABLE sessions (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash    bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token    text NOT NULL CHECK (length(csrf_token) >= 32),
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  ended_at      timestamptz,
  end_reason    text CHECK (end_reason IN ('logout', 'revoked', 'expired', 'password_changed', 'disabled')),
  ip            text CHECK (length(ip) <= 64),
  user_agent    text CHECK (length(user_agent) <= 300),
  CONSTRAINT sessions_end_has_reason CHECK ((ended_at IS NULL) = (end_reason IS NULL))
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE ended_at IS NULL;

-- Personal access tokens for machine clients (QGIS, GDAL, Open311, scripts).
CREATE TABLE access_tokens (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash    bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  -- A narrower role than the user's, or NULL for the user's own.
  role          text CHECK (role IN ('district_admin', 'operator', 'leader', 'analyst', 'planner', 'grid_worker', 'auditor')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  last_used_at  timestamptz,
  revoked_at    timestamptz,
  CONSTRAINT access_tokens_expiry_after_creation CHECK (expires_at > created_at)
);
CREATE INDEX access_tokens_user_idx ON access_tokens (user_id);

-- Masked forms of reporters' personal data (PIPL): what every answer carries unless
-- a role allowed to unmask asks for one incident explicitly.
CREATE FUNCTION pingan_mask_phone(phone text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN phone IS NULL THEN NULL
    WHEN length(phone) >= 7 THEN left(phone, 3) || repeat('*', length(phone) - 7) || right(phone, 4)
    ELSE repeat('*', greatest(length(phone) - 2, 0)) || right(phone, 2)
  END
$$;

CREATE FUNCTION pingan_mask_id_number(id_number text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN id_number IS NULL THEN NULL
              ELSE left(id_number, 6) || repeat('*', greatest(length(id_number) - 10, 0)) || right(id_number, 4) END
$$;

CREATE FUNCTION pingan_mask_name(person text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN person IS NULL THEN NULL ELSE left(person, 1) || repeat('*', greatest(length(person) - 1, 1)) END
$$;

-- The audit trail. Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE) and
-- tamper-evident: each row's hash covers the previous row's hash and the row itself,
-- so changing, removing or inserting a row breaks the chain from there on.
CREATE TABLE audit_log (
  id           bigint PRIMARY KEY,
  at           timestamptz NOT NULL,
  user_id      bigint,
  username     text CHECK (length(username) <= 100),
  role         text,
  center_id    bigint,
  ip           text CHECK (length(ip) <= 64),
  action       text NOT NULL CHECK (action ~ '^[a-z]+(\.[a-z_]+)+$'),
  object_type  text CHECK (length(object_type) <= 40),
  object_id    text CHECK (length(object_id) <= 100),
  outcome      text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  detail       jsonb NOT NULL DEFAULT '{}',
  prev_hash    bytea NOT NULL,
  hash         bytea NOT NULL
);
CREATE SEQUENCE audit_log_id_seq OWNED BY audit_log.id;
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_user_idx ON audit_log (user_id, id DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, id DESC);

-- The hash of one entry: SHA-256 over the previous hash and a canonical JSON array of
-- the row (jsonb text output is deterministic). Used by audit_append and by verification.
CREATE FUNCTION audit_entry_hash(prev bytea, e audit_log) RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT sha256(prev || convert_to(jsonb_build_array(
    e.id, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), e.user_id, e.username, e.role,
    e.center_id, e.ip, e.action, e.object_type, e.object_id, e.outcome, e.detail)::text, 'UTF8'))
$$;

-- Where the chain starts.
CREATE FUNCTION audit_genesis_hash() RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT sha256(convert_to('pingan-map audit trail', 'UTF8')) $$;

-- The only way rows enter audit_log. The advisory lock (held to the end of the
-- transaction) serialises writers so each links to the latest committed row; an entry
-- rolled back with its transaction leaves a gap in the ids, never in the chain.
CREATE FUNCTION audit_append(p_user_id bigint, p_username text, p_role text, p_center_id bigint, p_ip text,
                             p_action text, p_object_type text, p_object_id text, p_outcome text, p_detail jsonb)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  entry audit_log;
BEGIN
  PERFORM pg_advisory_xact_lock(5180001);
  SELECT hash INTO entry.prev_hash FROM audit_log ORDER BY id DESC LIMIT 1;
  entry.prev_hash := coalesce(entry.prev_hash, audit_genesis_hash());
  entry.id := nextval('audit_log_id_seq');
  entry.at := clock_timestamp();
  entry.user_id := p_user_id;
  entry.username := p_username;
  entry.role := p_role;
  entry.center_id := p_center_id;
  entry.ip := p_ip;
  entry.action := p_action;
  entry.object_type := p_object_type;
  entry.object_id := p_object_id;
  entry.outcome := p_outcome;
  entry.detail := coalesce(p_detail, '{}'::jsonb);
  entry.hash := audit_entry_hash(entry.prev_hash, entry);
  INSERT INTO audit_log SELECT entry.*;
  RETURN entry.id;
END $$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Down Migration
DROP FUNCTION IF EXISTS audit_append(bigint, text, text, bigint, text, text, text, text, text, jsonb),
  audit_genesis_hash(), audit_entry_hash(bytea, audit_log), pingan_mask_name(text), pingan_mask_id_number(text),
  pingan_mask_phone(text);
DROP TABLE IF EXISTS audit_log, access_tokens, sessions, center_tree CASCADE;
DROP FUNCTION IF EXISTS center_tree_rebuild();
ALTER TABLE users DROP COLUMN IF EXISTS last_login_at;
