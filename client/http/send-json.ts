import { ApiError, ProblemType } from './api-error';
import { apiFetch, type RequestOptions } from './get-json';
import { sessionBridge } from './session-bridge';

export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * A write to our own API: JSON body, the session's CSRF token in `X-CSRF-Token`, and
 * the JSON answer (or `undefined` for 204); `headers` adds others (an Idempotency-Key).
 * Errors arrive as ApiError with the problem's `type`, `detail`, `invalid-params` and
 * `lockedUntil`.
 *
 * A 403 csrf answer is retried once with a fresh token: signing in again in another
 * tab replaces the session cookie, and with it the token this tab holds.
 */
export async function sendJson<T = undefined>(
  method: WriteMethod,
  url: string,
  body?: unknown,
  options: RequestOptions & { headers?: Record<string, string> } = {},
): Promise<T> {
  const attempt = (token: string | null) => {
    const headers: Record<string, string> = { ...options.headers, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers['X-CSRF-Token'] = token;
    return apiFetch(url, { method, headers, body: body === undefined ? null : JSON.stringify(body) }, options);
  };

  const bridge = sessionBridge();
  let response: Response;
  try {
    response = await attempt(bridge?.csrfToken() ?? null);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 403 && error.type === ProblemType.csrf && bridge)) throw error;
    const renewed = await bridge.renewCsrfToken();
    if (!renewed) throw error;
    response = await attempt(renewed);
  }
  if (response.status === 204 || response.headers.get('Content-Length') === '0') return undefined as T;
  const text = await response.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}
