INSERT INTO dataset_loads (dataset, version, shift, counts) VALUES ($1, $2, $3::interval, $4::jsonb) RETURNING id;
