-- Locks one incident of the jurisdiction for the length of a photo upload, so uploads
-- to the same incident take turns and the count of its photos cannot be outrun.
-- NO KEY UPDATE: the photos' foreign key (KEY SHARE) and readers are not held up.
--   $1 scope center, $2 incident id
SELECT i.id
FROM incidents AS i
WHERE i.id = $2
  AND i.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $1)
FOR NO KEY UPDATE OF i
