import { scopeOf } from '../auth/caller.js';
import { guarded, type Route } from '../auth/routes.js';
import { findCenterInScope } from '../centers/repository.js';
import type { Database } from '../db/database.js';
import { sendGeoJson } from '../http/geojson.js';
import { HttpProblem } from '../http/problem.js';
import { checkGeometry, endGeofence, geofencesGeoJson, insertGeofence, listAlerts } from './repository.js';
import { AlertsQuery, GeofenceCreateBody, GeofenceIdParams } from './schema.js';

/** `/api/geofences`: key areas (重点区域) whose incidents raise alerts, and those alerts. */
export function geofenceRoutes(db: Database): Route[] {
  return [
    guarded({
      method: 'get',
      path: '/geofences',
      summary: 'Key areas of the jurisdiction that are active or still to come, as GeoJSON, with their numbers of alerts',
      access: 'incidents:read',
      async handler({ res, caller }) {
        sendGeoJson(res, await geofencesGeoJson(db, scopeOf(caller)));
      },
    }),

    guarded({
      method: 'post',
      path: '/geofences',
      summary: 'Mark a key area (GeoJSON Polygon or MultiPolygon, lon/lat): incidents reported inside it during its window raise alerts',
      status: 201,
      access: 'geofences:manage',
      audit: 'geofence.create',
      schemas: { body: GeofenceCreateBody },
      async handler({ res, caller, input, audit }) {
        const body = input.body;
        const centerId = body.centerId ?? caller.center.id;
        const feature = await db.tx(async (q) => {
          if (!(await findCenterInScope(q, scopeOf(caller), centerId))) {
            throw HttpProblem.invalidParams([{ name: 'centerId', in: 'body', reason: 'no such center in your jurisdiction' }]);
          }
          // The area must overlap the grids of the center it alerts, not merely the caller's.
          const refusal = await checkGeometry(q, centerId, body.geometry);
          if (refusal?.kind === 'invalid') {
            throw new HttpProblem(422, { title: 'Invalid geometry', detail: `the key area is not a valid polygon: ${refusal.reason}`, extra: { reason: refusal.reason } });
          }
          if (refusal?.kind === 'outside-jurisdiction') {
            throw new HttpProblem(422, { title: 'Outside the jurisdiction', detail: `the key area overlaps no grid of center ${centerId}'s jurisdiction` });
          }
          const id = await insertGeofence(q, { ...body, centerId, createdBy: caller.userId });
          await audit(q, {
            action: 'geofence.create',
            outcome: 'success',
            objectType: 'geofence',
            objectId: id,
            detail: { name: body.name, kind: body.kind, centerId },
          });
          return (JSON.parse(await geofencesGeoJson(q, scopeOf(caller), id)) as { features: unknown[] }).features[0];
        });
        res.status(201);
        sendGeoJson(res, JSON.stringify(feature), 'no-store');
      },
    }),

    guarded({
      method: 'delete',
      path: '/geofences/:id',
      summary: 'End a key area now (one that has not started yet is removed); its alerts stay',
      access: 'geofences:manage',
      audit: 'geofence.end',
      schemas: { params: GeofenceIdParams },
      async handler({ res, caller, input, audit }) {
        const { id } = input.params;
        await db.tx(async (q) => {
          const outcome = await endGeofence(q, scopeOf(caller), id);
          if (!outcome) throw HttpProblem.notFound(`there is no active or future key area ${id}`);
          await audit(q, { action: 'geofence.end', outcome: 'success', objectType: 'geofence', objectId: id, detail: { outcome } });
        });
        res.status(204).end();
      },
    }),

    guarded({
      method: 'get',
      path: '/geofences/alerts',
      summary: "Alerts raised by the jurisdiction's key areas, newest first, with each incident's number and title",
      access: 'incidents:read',
      schemas: { query: AlertsQuery },
      async handler({ res, caller, input }) {
        res.set('Cache-Control', 'private, no-cache').json({ alerts: await listAlerts(db, scopeOf(caller), input.query) });
      },
    }),
  ];
}
