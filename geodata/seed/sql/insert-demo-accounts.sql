-- The demo accounts (see demo-accounts.ts), placed by slot: the district center, the
-- first town, and the first two villages of that town. Grid-worker accounts are linked
-- to the first grid worker (staff) of their jurisdiction, whose tasks they see.
--   $1 jsonb  [{username, display_name, role, slot, password_hash}]
--   $2 bool   whether they must change the password at first login
WITH town AS (
  SELECT id FROM centers WHERE level = 'town' ORDER BY code LIMIT 1
),
villages AS (
  SELECT id, row_number() OVER (ORDER BY code) AS n FROM centers WHERE parent_id = (SELECT id FROM town)
),
slots AS (
  SELECT 'district' AS slot, id FROM centers WHERE level = 'district'
  UNION ALL SELECT 'town', id FROM town
  UNION ALL SELECT 'village', id FROM villages WHERE n = 1
  UNION ALL SELECT 'village2', id FROM villages WHERE n = 2
)
INSERT INTO users (username, display_name, role, center_id, staff_id, password_hash, must_change_password, password_changed_at)
SELECT a.username, a.display_name, a.role, s.id,
       CASE WHEN a.role = 'grid_worker' THEN (
         SELECT st.id FROM staff AS st
         WHERE st.role = 'grid_worker' AND st.active
           AND st.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = s.id)
         ORDER BY st.code LIMIT 1)
       END,
       a.password_hash, $2, now()
FROM jsonb_to_recordset($1::jsonb) AS a(username text, display_name text, role text, slot text, password_hash text)
JOIN slots AS s ON s.slot = a.slot
ORDER BY a.username
