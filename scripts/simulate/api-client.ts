/** An answer: its status, JSON body (or text when it is not JSON) and headers. */
export interface ApiAnswer {
  status: number;
  body: unknown;
  headers: Headers;
}

const ATTEMPTS = 4;
/** Answers worth trying again: rate-limited, or the server (or a proxy) briefly away. */
const RETRIED = new Set([429, 502, 503, 504]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Seconds a 429 says to wait: the RateLimit header's `t`, or Retry-After. */
function waitSeconds(headers: Headers, fallback: number): number {
  const t = /\bt=(\d+)/.exec(headers.get('ratelimit') ?? '')?.[1] ?? headers.get('retry-after');
  const s = Number(t);
  return Number.isFinite(s) && s > 0 ? Math.min(s, 60) : fallback;
}

/**
 * A signed-in browser session against the API, as the web client holds one: the session
 * cookie, and the CSRF header on writes. Requests that fail on the network or with a
 * temporary status are sent again as they were (same body, same headers, so the same
 * Idempotency-Key); a session that ended is signed in again once.
 */
export class ApiClient {
  private cookie = '';
  private csrfToken = '';

  constructor(
    readonly baseUrl: string,
    private readonly username: string,
    private readonly password: string,
  ) {}

  async signIn(): Promise<void> {
    const response = await fetch(`${this.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: this.username, password: this.password }),
    });
    const body = (await response.json().catch(() => ({}))) as { csrfToken?: string; detail?: string; user?: { mustChangePassword?: boolean } };
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('pm_session='));
    if (response.status !== 200 || !cookie || !body.csrfToken) {
      throw new Error(`sign-in as ${this.username} failed (${response.status}${body.detail ? `: ${body.detail}` : ''})`);
    }
    this.cookie = cookie.split(';')[0]!;
    this.csrfToken = body.csrfToken;
  }

  get(path: string): Promise<ApiAnswer> {
    return this.request('GET', path);
  }

  post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
    return this.request('POST', path, JSON.stringify(body), headers);
  }

  private async request(method: string, path: string, body?: string, extra: Record<string, string> = {}): Promise<ApiAnswer> {
    let signedInAgain = false;
    for (let attempt = 1; ; attempt++) {
      let answer: ApiAnswer;
      try {
        const response = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers: {
            cookie: this.cookie,
            ...(body !== undefined && { 'content-type': 'application/json', 'x-csrf-token': this.csrfToken }),
            ...extra,
          },
          body,
        });
        const text = await response.text();
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // Not JSON (an HTML error page of a proxy): keep the text.
        }
        answer = { status: response.status, body: parsed, headers: response.headers };
      } catch (err) {
        if (attempt >= ATTEMPTS) throw err;
        await sleep(500 * 2 ** attempt);
        continue;
      }
      if (answer.status === 401 && !signedInAgain) {
        signedInAgain = true;
        await this.signIn();
        attempt--;
        continue;
      }
      if (!RETRIED.has(answer.status) || attempt >= ATTEMPTS) return answer;
      await sleep(answer.status === 429 ? waitSeconds(answer.headers, 5) * 1000 : 500 * 2 ** attempt);
    }
  }
}
