SELECT
  (SELECT count(*) FROM centers) AS centers,
  (SELECT count(*) FROM grids) AS grids,
  (SELECT count(*) FROM staff) AS staff,
  (SELECT count(*) FROM cameras) AS cameras,
  (SELECT count(*) FROM patrol_teams) AS patrol_teams,
  (SELECT count(*) FROM patrol_units) AS patrol_units,
  (SELECT count(*) FROM patrol_positions) AS patrol_positions,
  (SELECT count(*) FROM incidents) AS incidents,
  (SELECT count(*) FROM incident_events) AS incident_events,
  (SELECT count(*) FROM places) AS places,
  (SELECT count(*) FROM basemap_roads) AS roads,
  (SELECT count(*) FROM users) AS users;
