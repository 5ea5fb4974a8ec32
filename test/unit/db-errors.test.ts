import { describe, expect, it } from 'vitest';
import { describeDatabaseError } from '../../server/http/db-errors.js';

// describeDatabaseError on errors shaped like pg's DatabaseError; the same errors raised
// by a real database are in test/integration/constraints.test.ts.

const pgError = (fields: Record<string, string>) =>
  Object.assign(new Error(fields.message ?? 'database error'), { severity: 'ERROR', ...fields });

describe('describeDatabaseError', () => {
  it('when the error is not from the database, then it has no description', () => {
    expect(describeDatabaseError(new Error('boom'))).toBeUndefined();
    expect(describeDatabaseError(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBeUndefined();
    expect(describeDatabaseError('a string')).toBeUndefined();
    expect(describeDatabaseError(null)).toBeUndefined();
  });

  it('when the database fails in a way no client caused, then it has no description (a 500)', () => {
    expect(describeDatabaseError(pgError({ code: 'XX000', message: 'lwgeom_intersection: GEOS Error: TopologyException' }))).toBeUndefined();
    expect(describeDatabaseError(pgError({ code: '42P01', message: 'relation "nope" does not exist' }))).toBeUndefined();
    expect(describeDatabaseError(pgError({ code: '42501', message: 'permission denied for table centers' }))).toBeUndefined();
  });

  it('when the database cannot be reached, then it is a 503', () => {
    expect(describeDatabaseError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toMatchObject({ status: 503 });
    expect(describeDatabaseError(new Error('timeout exceeded when trying to connect'))).toMatchObject({ status: 503 });
    expect(describeDatabaseError(pgError({ code: '57P01', message: 'terminating connection due to administrator command' }))).toMatchObject({ status: 503 });
  });

  it('when a check constraint has no written message, then the column is named from PostgreSQL\'s constraint name', () => {
    expect(describeDatabaseError(pgError({ code: '23514', table: 'grids', constraint: 'grids_new_column_check' }))).toMatchObject({
      status: 422,
      detail: 'new_column of grids has a value that is not allowed',
    });
  });

  it('when a unique key repeats, then the detail quotes the key', () => {
    expect(
      describeDatabaseError(pgError({ code: '23505', table: 'cameras', constraint: 'cameras_code_key', detail: 'Key (code)=(CAM-1) already exists.' })),
    ).toEqual({ status: 409, title: 'Already exists', detail: "code 'CAM-1' already exists", constraint: 'cameras_code_key' });
  });

  it('when the idempotency key of an incident repeats, then the message says it was already accepted', () => {
    expect(describeDatabaseError(pgError({ code: '23505', constraint: 'incidents_idempotency_key_key' }))).toMatchObject({
      status: 409,
      detail: 'an incident with this idempotency key was already accepted',
    });
  });

  it.each([
    ['Geometry SRID (3857) does not match column SRID (4326)', 422, 'geometry must be WGS84 (SRID 4326)'],
    ['Geometry type (LineString) does not match column type (Point)', 422, 'geometry must be a Point, not a LineString'],
    ['Geometry has Z dimension but column does not', 422, 'geometry must be two-dimensional (longitude, latitude)'],
    ['parse error - invalid geometry', 400, 'geometry could not be read: parse error - invalid geometry'],
    ['quoted object property name expected (at offset 1)', 400, 'geometry could not be read: quoted object property name expected (at offset 1)'],
  ])('when PostGIS says "%s", then it is a %i', (message, status, detail) => {
    for (const code of ['22023', 'XX000']) {
      expect(describeDatabaseError(pgError({ code, message }))).toEqual({ status, title: 'Invalid geometry', detail });
    }
  });

  it('when concurrent changes collide, then it is a 503 to retry', () => {
    expect(describeDatabaseError(pgError({ code: '40001' }))).toMatchObject({ status: 503, title: 'Database busy' });
    expect(describeDatabaseError(pgError({ code: '40P01' }))).toMatchObject({ status: 503 });
  });
});
