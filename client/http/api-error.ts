/**
 * Errors of our own API. The server answers every error as RFC 9457 problem+json
 * (`type`, `title`, `status`, `detail`, extension members); views branch on `type`
 * and `status` and show the translated text for the types they know.
 */

export interface InvalidParam {
  /** Dotted path of the parameter, e.g. `newPassword`. */
  name: string;
  in?: 'params' | 'query' | 'body';
  reason: string;
}

/** Problem types the client reacts to (docs/access.md). */
export const ProblemType = {
  invalidParams: 'urn:pingan:problem:invalid-params',
  badCredentials: 'urn:pingan:problem:bad-credentials',
  accountLocked: 'urn:pingan:problem:account-locked',
  unauthenticated: 'urn:pingan:problem:unauthenticated',
  passwordChangeRequired: 'urn:pingan:problem:password-change-required',
  csrf: 'urn:pingan:problem:csrf',
  outsideGrids: 'urn:pingan:problem:outside-grids',
  outsideJurisdiction: 'urn:pingan:problem:outside-jurisdiction',
  idempotencyConflict: 'urn:pingan:problem:idempotency-conflict',
} as const;

interface ProblemBody {
  type?: unknown;
  title?: unknown;
  detail?: unknown;
  reason?: unknown;
  lockedUntil?: unknown;
  'invalid-params'?: unknown;
}

/** Failure of a same-origin API call, kept distinct so views can show the status. */
export class ApiError extends Error {
  override name = 'ApiError';
  /** Problem type URI; `about:blank` when the server sent none (or no problem document). */
  readonly type: string;
  readonly detail: string | null;
  readonly invalidParams: InvalidParam[];
  /** ISO time an account stays locked until (423 account-locked). */
  readonly lockedUntil: string | null;
  /** Seconds from `Retry-After` (429, 503). */
  readonly retryAfterSeconds: number | null;
  /** Why a session ended (401 unauthenticated): `expired`, … */
  readonly reason: string | null;

  constructor(
    readonly url: string,
    readonly status: number,
    init: {
      type?: string;
      detail?: string | null;
      invalidParams?: InvalidParam[];
      lockedUntil?: string | null;
      retryAfterSeconds?: number | null;
      reason?: string | null;
      message?: string;
    } = {},
  ) {
    super(init.message ?? `${url}: ${status}${init.detail ? ` ${init.detail}` : ''}`);
    this.type = init.type ?? 'about:blank';
    this.detail = init.detail ?? null;
    this.invalidParams = init.invalidParams ?? [];
    this.lockedUntil = init.lockedUntil ?? null;
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
    this.reason = init.reason ?? null;
  }

  /** The server's reasons for one parameter, e.g. `paramReasons('newPassword')`. */
  paramReasons(name: string): string[] {
    return this.invalidParams.filter((p) => p.name === name).map((p) => p.reason);
  }
}

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function parseInvalidParams(value: unknown): InvalidParam[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const { name, reason, in: where } = item as Record<string, unknown>;
    if (typeof name !== 'string' || typeof reason !== 'string') return [];
    return [where === 'params' || where === 'query' || where === 'body' ? { name, reason, in: where } : { name, reason }];
  });
}

/** `Retry-After` as seconds: either delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Reads an error response into an ApiError; a non-JSON error page keeps only its status line. */
export async function apiErrorFromResponse(url: string, response: Response): Promise<ApiError> {
  let body: ProblemBody = {};
  try {
    const parsed: unknown = await response.json();
    if (typeof parsed === 'object' && parsed !== null) body = parsed as ProblemBody;
  } catch {
    // A proxy's HTML error page: the status line is all we can report.
  }
  return new ApiError(url, response.status, {
    type: str(body.type) ?? 'about:blank',
    detail: str(body.detail) ?? str(body.title) ?? (response.statusText || null),
    invalidParams: parseInvalidParams(body['invalid-params']),
    lockedUntil: str(body.lockedUntil),
    retryAfterSeconds: parseRetryAfter(response.headers.get('Retry-After')),
    reason: str(body.reason),
  });
}

/** True for failures that say nothing about the request itself: no answer, or the server is down. */
export function isTransient(error: unknown): boolean {
  if (error instanceof ApiError) return error.status >= 500 || error.status === 408;
  return error instanceof TypeError; // fetch's "Failed to fetch"
}
