-- What each camera sees, from zoom 16: a sector of radius range_m (metres) about its
-- heading (degrees clockwise from north), fov degrees wide; a camera of fov >= 360 sees a
-- circle. Built on the geography (ST_Project: true bearings and metres, whatever the
-- latitude), one vertex per 5° or less of arc, the ring counter-clockwise (RFC 7946 — and
-- so clockwise in y-down tile units, as MVT wants its outer rings on both paths).
-- $7 source, $8 status (NULL = any), as the camera points.
-- Found by location in the tile's box grown by the longest range allowed (5 km, migration
-- 0001), so the index answers; then only the sectors meeting the box itself.
SELECT v.id, v.geom, v.props
FROM tile, LATERAL (
  SELECT c.id, ST_ForcePolygonCCW(ST_MakePolygon(ST_MakeLine(
           CASE WHEN c.fov >= 360 THEN arc.points || arc.points[1] ELSE c.location || arc.points || c.location END))) AS geom,
         jsonb_build_object('code', c.code, 'source', c.source, 'status', c.status) AS props
  FROM cameras AS c
  CROSS JOIN LATERAL (SELECT greatest(ceil(least(c.fov, 360) / 5.0)::int, 2) AS n) AS k
  CROSS JOIN LATERAL (
    SELECT array_agg(ST_Project(c.location::geography, c.range_m, radians(c.heading - least(c.fov, 360) / 2.0 + least(c.fov, 360) * i / k.n))::geometry
                     ORDER BY i) AS points
    FROM generate_series(0, CASE WHEN c.fov >= 360 THEN k.n - 1 ELSE k.n END) AS i
  ) AS arc
  WHERE tile.z >= 16
    AND c.heading IS NOT NULL AND c.fov IS NOT NULL
    AND c.location && ST_Expand(tile.bbox, 5000 / (111320 * cos(radians(least(greatest(abs(ST_YMin(tile.bbox)), abs(ST_YMax(tile.bbox))), 85)))),
                                5000 / 110574.0)
    AND c.center_id IN (SELECT center_id FROM center_tree WHERE ancestor_id = $4::bigint)
    AND ($7::text IS NULL OR c.source = $7::text)
    AND ($8::text IS NULL OR c.status = $8::text)
) AS v
WHERE v.geom && tile.bbox AND ST_Intersects(v.geom, tile.bbox)
ORDER BY v.id
