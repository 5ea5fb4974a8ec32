import { ApiError, ProblemType } from '../http/api-error';
import { apiFetch } from '../http/get-json';
import { sessionBridge } from '../http/session-bridge';
import { intakeBody } from '../incidents/intake-body';
import type { QueuedPhoto, ReportDraft } from './types';

/** What an attempt's failure means for the outbox. */
export type Failure =
  /** No answer, or the server could not answer now (5xx, 408, 429): try again later. */
  | { kind: 'retry'; retryAfterMs: number | null }
  /** The session ended (401) or needs a password change: wait until the user signs in again. */
  | { kind: 'signed-out' }
  /** The server refused the request itself: retrying the same request cannot help. */
  | { kind: 'refused'; status: number; type: string; detail: string };

export function classifyFailure(error: unknown): Failure {
  if (!(error instanceof ApiError)) return { kind: 'retry', retryAfterMs: null };
  if (error.status === 401 || (error.status === 403 && error.type === ProblemType.passwordChangeRequired)) return { kind: 'signed-out' };
  if (error.status >= 500 || error.status === 408 || error.status === 429) {
    return { kind: 'retry', retryAfterMs: error.retryAfterSeconds === null ? null : error.retryAfterSeconds * 1000 };
  }
  return { kind: 'refused', status: error.status, type: error.type, detail: error.detail ?? String(error.status) };
}

/**
 * A write of the outbox: the session's CSRF token, renewed once when another tab's
 * sign-in replaced it. A 401 is only thrown: the outbox keeps its reports and asks the
 * user to sign in again instead of leaving the page.
 */
async function write(url: string, headers: Record<string, string>, body: BodyInit): Promise<Response> {
  const bridge = sessionBridge();
  const attempt = (token: string | null) =>
    apiFetch(url, { method: 'POST', headers: { Accept: 'application/json', ...headers, ...(token && { 'X-CSRF-Token': token }) }, body }, { unauthorized: 'answer' });
  try {
    return await attempt(bridge?.csrfToken() ?? null);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 403 && error.type === ProblemType.csrf && bridge)) throw error;
    const renewed = await bridge.renewCsrfToken().catch(() => null);
    if (!renewed) throw error;
    return attempt(renewed);
  }
}

/** Files the report; a retry with the same key answers the incident stored the first time. */
export async function postReport(key: string, draft: ReportDraft, occurredAt: string): Promise<{ id: number; number: string }> {
  const { category, severity, title, description, address, location } = draft;
  const body = intakeBody({ category, severity, title, description, address, location, source: 'grid_app', occurredAt });
  const response = await write('/api/incidents', { 'Content-Type': 'application/json', 'Idempotency-Key': key }, JSON.stringify(body));
  const { incident } = (await response.json()) as { incident: { id: number; number: string } };
  return { id: incident.id, number: incident.number };
}

/** Attaches one photo; the server stores the same bytes once, so a retry is harmless. Answers the photo's id. */
export async function postPhoto(incidentId: number, photo: QueuedPhoto & { blob: Blob }): Promise<number> {
  const response = await write(`/api/incidents/${incidentId}/photos`, { 'Content-Type': photo.type }, photo.blob);
  return ((await response.json()) as { id: number }).id;
}
