-- The camera a camera alarm comes from, if it is in the caller's jurisdiction. $1 camera, $2 scope center.
SELECT code, name FROM cameras
WHERE id = $1 AND center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $2)
