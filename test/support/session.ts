import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../geodata/seed/demo-accounts.js';

/**
 * A signed-in browser as tests see it: the session cookie and CSRF token from a real
 * login, sent with every request, as the web client does.
 */
export interface ApiSession {
  username: string;
  cookie: string;
  csrfToken: string;
  /** The session body the login answered. */
  session: { user: { id: number; role: string; center: { id: number; level: string } }; permissions: string[] };
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** POST/PATCH/DELETE with a JSON body, the cookie and (unless `csrf: false`) the CSRF header. */
  send(method: string, path: string, body?: unknown, options?: { csrf?: boolean; headers?: Record<string, string> }): Promise<Response>;
}

export async function login(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<Response> {
  return fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
}

export async function signIn(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<ApiSession> {
  const response = await login(baseUrl, username, password);
  expect(response.status, `login of ${username}`).toBe(200);
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('pm_session='));
  expect(setCookie, 'session cookie').toBeDefined();
  const cookie = setCookie!.split(';')[0]!;
  const session = (await response.json()) as ApiSession['session'] & { csrfToken: string };
  return {
    username,
    cookie,
    csrfToken: session.csrfToken,
    session,
    get: (path, headers = {}) => fetch(`${baseUrl}${path}`, { headers: { cookie, ...headers } }),
    send: (method, path, body, options = {}) =>
      fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          cookie,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(options.csrf === false ? {} : { 'x-csrf-token': session.csrfToken }),
          ...options.headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
  };
}

/** The demo accounts' user names: `<role>.<level>`, see geodata/seed/demo-accounts.ts. */
export const demoUser = (role: 'admin' | 'operator' | 'leader' | 'analyst' | 'planner' | 'worker' | 'auditor', level: 'district' | 'town' | 'village') =>
  `${role}.${level}`;
