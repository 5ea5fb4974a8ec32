-- The data set loaded last (the demo district or a real one); no row in an empty database.
SELECT dataset, version, loaded_at
FROM dataset_loads
ORDER BY loaded_at DESC, id DESC
LIMIT 1
