SELECT id FROM centers WHERE code = $1
