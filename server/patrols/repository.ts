import type { Queryable } from '../db/database.js';
import { loadSql } from '../sql-files.js';

const sql = loadSql(import.meta.url, ['teams', 'routes', 'positions']);

export interface PatrolTeam {
  id: number;
  code: string;
  name: string;
  centerId: number;
  members: number;
  leader: string | null;
  phone: string | null;
  units: number;
  routes: number;
}

export async function listTeams(q: Queryable, scope: number): Promise<PatrolTeam[]> {
  const { rows } = await q.query<{
    id: number;
    code: string;
    name: string;
    center_id: number;
    members: number;
    leader: string | null;
    phone: string | null;
    units: number;
    routes: number;
  }>(sql.teams, [scope]);
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    centerId: r.center_id,
    members: r.members,
    leader: r.leader,
    phone: r.phone,
    units: r.units,
    routes: r.routes,
  }));
}

/** Routes of the jurisdiction's teams (optionally one team) as serialised GeoJSON. */
export async function routesGeoJson(q: Queryable, scope: number, team: number | undefined): Promise<string> {
  const { rows } = await q.query<{ body: string }>(sql.routes, [scope, team ?? null]);
  return rows[0]!.body;
}

/** The latest position of each unit of the jurisdiction's teams as serialised GeoJSON. */
export async function positionsGeoJson(q: Queryable, scope: number, team: number | undefined): Promise<string> {
  const { rows } = await q.query<{ body: string }>(sql.positions, [scope, team ?? null]);
  return rows[0]!.body;
}
