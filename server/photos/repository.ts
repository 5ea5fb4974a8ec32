import type { Queryable } from '../db/database.js';
import { loadSql } from '../sql-files.js';
import type { PhotoType } from './image-type.js';

const sql = loadSql(import.meta.url, ['lock-incident', 'photo-by-hash', 'count-photos', 'insert-photo', 'photos', 'photo-bytes']);

/** A stored photo as the API describes it (its bytes are fetched separately). */
export interface PhotoMeta {
  id: number;
  contentType: PhotoType;
  /** Bytes. */
  size: number;
  /** SHA-256 of the bytes, hex. */
  sha256: string;
  at: string;
}

interface PhotoRow {
  id: number;
  content_type: PhotoType;
  size: number;
  sha256: Buffer;
  at: Date;
}

const toMeta = (r: PhotoRow): PhotoMeta => ({
  id: r.id,
  contentType: r.content_type,
  size: r.size,
  sha256: r.sha256.toString('hex'),
  at: r.at.toISOString(),
});

/** Locks an incident of the jurisdiction until the transaction ends; false when there is none. */
export async function lockIncident(q: Queryable, scope: number, incidentId: number): Promise<boolean> {
  const { rows } = await q.query(sql['lock-incident'], [scope, incidentId]);
  return rows.length > 0;
}

export async function findPhotoByHash(q: Queryable, incidentId: number, sha256: Buffer): Promise<PhotoMeta | undefined> {
  const { rows } = await q.query<PhotoRow>(sql['photo-by-hash'], [incidentId, sha256]);
  return rows[0] && toMeta(rows[0]);
}

export async function countPhotos(q: Queryable, incidentId: number): Promise<number> {
  const { rows } = await q.query<{ n: number }>(sql['count-photos'], [incidentId]);
  return rows[0]!.n;
}

export interface NewPhoto {
  incidentId: number;
  contentType: PhotoType;
  bytes: Buffer;
  sha256: Buffer;
  uploadedBy: number;
}

/** Stores a photo; undefined when the incident has these bytes already. */
export async function insertPhoto(q: Queryable, photo: NewPhoto): Promise<PhotoMeta | undefined> {
  const { rows } = await q.query<PhotoRow>(sql['insert-photo'], [photo.incidentId, photo.contentType, photo.bytes, photo.sha256, photo.uploadedBy]);
  return rows[0] && toMeta(rows[0]);
}

/** The photos of an incident of the jurisdiction, oldest first; undefined when the incident is not in it. */
export async function listPhotos(q: Queryable, scope: number, incidentId: number): Promise<PhotoMeta[] | undefined> {
  const { rows } = await q.query<PhotoRow | { id: null }>(sql.photos, [scope, incidentId]);
  if (rows.length === 0) return undefined;
  return rows.filter((r): r is PhotoRow => r.id !== null).map(toMeta);
}

export interface PhotoContent {
  contentType: PhotoType;
  bytes: Buffer;
  sha256: string;
}

/** One photo's bytes, when the photo belongs to that incident and the incident to the jurisdiction. */
export async function findPhotoContent(q: Queryable, scope: number, incidentId: number, photoId: number): Promise<PhotoContent | undefined> {
  const { rows } = await q.query<{ content_type: PhotoType; bytes: Buffer; sha256: Buffer }>(sql['photo-bytes'], [scope, incidentId, photoId]);
  const r = rows[0];
  return r && { contentType: r.content_type, bytes: r.bytes, sha256: r.sha256.toString('hex') };
}
