-- Base map: place names (district, towns, villages) and points of interest, rank 1 first.
SELECT p.id, p.location AS geom,
       jsonb_strip_nulls(jsonb_build_object('kind', p.kind, 'poi_kind', p.poi_kind, 'name', p.name, 'rank', p.rank)) AS props
FROM tile, places AS p
WHERE p.location && tile.bbox
ORDER BY p.rank, p.id
