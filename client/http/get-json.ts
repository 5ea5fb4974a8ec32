import { apiErrorFromResponse, ApiError, ProblemType } from './api-error';
import { sessionBridge, touchesSession } from './session-bridge';

export { ApiError } from './api-error';

export interface RequestOptions {
  signal?: AbortSignal;
  /**
   * What a 401 means for this call. `session` (default): the signed-in session ended,
   * so the app goes to the login page. `answer`: the 401 is the answer itself
   * (wrong password at login, "no session" when asking for it) and is only thrown.
   */
  unauthorized?: 'session' | 'answer';
}

/**
 * Every call to our own API goes through here. URLs stay relative so the same build
 * works behind the Vite proxy, the Node server and any reverse proxy on an intranet.
 * The session cookie goes along by default (same origin).
 */
export async function apiFetch(url: string, init: RequestInit, options: RequestOptions = {}): Promise<Response> {
  const response = await fetch(url, { ...init, signal: options.signal ?? null });
  const bridge = sessionBridge();
  const touched = touchesSession(url);
  if (response.ok) {
    if (touched) bridge?.activity();
    return response;
  }
  const error = await apiErrorFromResponse(url, response);
  if (bridge) {
    if (error.status === 401 && options.unauthorized !== 'answer') bridge.sessionEnded(error);
    else if (error.status === 403 && error.type === ProblemType.passwordChangeRequired) bridge.passwordChangeRequired(error);
    else if (error.status !== 401 && touched) bridge.activity();
  }
  throw error;
}

/** GET a JSON document from our own server. */
export async function getJson<T>(url: string, signalOrOptions?: AbortSignal | RequestOptions): Promise<T> {
  const options = signalOrOptions instanceof AbortSignal ? { signal: signalOrOptions } : (signalOrOptions ?? {});
  const response = await apiFetch(url, { headers: { Accept: 'application/json' } }, options);
  return (await response.json()) as T;
}

/** True when `error` is the API's answer with this status (and problem type, when given). */
export function isApiError(error: unknown, status: number, type?: string): error is ApiError {
  return error instanceof ApiError && error.status === status && (type === undefined || error.type === type);
}
