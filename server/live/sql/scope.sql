-- The centers of the jurisdiction of center $1 (itself and every center below it).
SELECT center_id FROM center_tree WHERE ancestor_id = $1
