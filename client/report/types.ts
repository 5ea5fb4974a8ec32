import type { Category, Severity } from '../../server/incidents/enums';
import type { PhotoType } from '../../server/photos/image-type';
import type { LngLat } from '../http/api-types';

export type { Category, Severity };

/** What the worker filled in; `location` is WGS84, whatever datum the map draws in. */
export interface ReportDraft {
  category: Category;
  severity: Severity;
  title: string;
  description: string;
  address: string;
  location: LngLat;
  /** How the location was found; with GPS, its accuracy in metres. */
  locationSource: 'gps' | 'map';
  accuracyM: number | null;
}

/** A photo waiting in the outbox; its bytes are dropped once the server has them. */
export interface QueuedPhoto {
  id: string;
  type: PhotoType;
  size: number;
  blob: Blob | null;
  state: 'waiting' | 'sent' | 'rejected';
  /** The server's id once stored. */
  photoId: number | null;
  /** The server's reason when it refused the photo for good. */
  reason: string | null;
}

/**
 * One report in the browser's outbox (IndexedDB), sent until the server confirms it.
 * `key` is its Idempotency-Key: every retry is the same report to the server.
 */
export interface OutboxEntry {
  key: string;
  /** The account that filed it: only that account's session sends it. */
  userId: number;
  createdAt: string;
  draft: ReportDraft;
  photos: QueuedPhoto[];
  state: 'waiting' | 'sent' | 'rejected';
  /** Set once the server confirmed the incident (201, or 200 for a replay). */
  incident: { id: number; number: string } | null;
  /** Why the server refused the report for good (a 4xx other than 401, 408 and 429): its problem type and detail. */
  rejection: { status: number; type: string; detail: string } | null;
  /** Failed attempts so far; the wait before the next one grows with it. */
  attempts: number;
  /** Epoch ms before which no attempt is made. */
  nextAttemptAt: number;
}

/** An incident of GET /api/incidents as "my tasks" shows it. */
export interface Task {
  id: number;
  number: string;
  category: string;
  severity: string;
  status: string;
  title: string;
  address: string | null;
  gridName: string | null;
  reportedAt: string;
  dueAt: string | null;
  overdueAt: string | null;
}
