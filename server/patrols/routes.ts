import { scopeOf } from '../auth/caller.js';
import { guarded, type Route } from '../auth/routes.js';
import type { Database } from '../db/database.js';
import { sendGeoJson } from '../http/geojson.js';
import { HttpProblem } from '../http/problem.js';
import { findUnit, listTeams, positionsGeoJson, routesGeoJson, storePositions } from './repository.js';
import { PositionReportsBody, TeamFilterQuery, UnitIdParams } from './schema.js';

/** `/api/patrols/…`: patrol teams (巡防队), their routes, their units' latest positions and their position reports. */
export function patrolRoutes(db: Database): Route[] {
  return [
    guarded({
      method: 'get',
      path: '/patrols/teams',
      summary: 'Patrol teams of the jurisdiction with their numbers of units and routes',
      access: 'resources:read',
      async handler({ res, caller }) {
        res.set('Cache-Control', 'private, no-cache').json({ teams: await listTeams(db, scopeOf(caller)) });
      },
    }),

    guarded({
      method: 'get',
      path: '/patrols/routes',
      summary: "Patrol routes of the jurisdiction's teams as GeoJSON",
      access: 'resources:read',
      schemas: { query: TeamFilterQuery },
      async handler({ res, caller, input }) {
        sendGeoJson(res, await routesGeoJson(db, scopeOf(caller), input.query.team));
      },
    }),

    guarded({
      method: 'get',
      path: '/patrols/positions',
      summary: 'The latest reported position of each patrol unit as GeoJSON',
      access: 'resources:read',
      schemas: { query: TeamFilterQuery },
      async handler({ res, caller, input }) {
        // Positions move every few seconds: never reuse an old answer.
        sendGeoJson(res, await positionsGeoJson(db, scopeOf(caller), input.query.team), 'private, no-store');
      },
    }),

    guarded({
      method: 'get',
      path: '/patrols/units/:id',
      summary: 'One patrol unit with its team, its planned route (GeoJSON geometry) and its latest reported position',
      access: 'resources:read',
      schemas: { params: UnitIdParams },
      async handler({ res, caller, input }) {
        const unit = await findUnit(db, scopeOf(caller), input.params.id);
        if (!unit) throw HttpProblem.notFound(`there is no patrol unit ${input.params.id}`);
        // Its position moves every few seconds, as /patrols/positions.
        res.set('Cache-Control', 'private, no-store').json(unit);
      },
    }),

    guarded({
      method: 'post',
      path: '/patrols/units/:id/positions',
      summary: "A patrol unit's position reports (1–100); a report for an instant already stored is skipped",
      status: 201,
      access: 'positions:report',
      // Refusals and failures are audited under this name; stored reports are not: every
      // unit reports every few seconds, and patrol_positions is the record of them.
      audit: 'patrol.positions',
      schemas: { params: UnitIdParams, body: PositionReportsBody },
      async handler({ res, caller, input }) {
        const { id } = input.params;
        const result = await db.tx((tx) => storePositions(tx, scopeOf(caller), id, input.body.reports));
        if (!result) throw HttpProblem.notFound(`there is no patrol unit ${id}`);
        res.status(201).set('Cache-Control', 'no-store').json(result);
      },
    }),
  ];
}
