-- Empties every domain table (users too: they hang off centers) for a fresh load.
TRUNCATE dataset_loads, basemap_landuse, basemap_water, basemap_waterways, basemap_roads, places,
  geofence_alerts, geofences, incident_photos, incident_events, incidents, users, patrol_positions, patrol_units, patrol_routes, patrol_teams, cameras,
  grid_staff, staff, grids, centers RESTART IDENTITY CASCADE;
