/**
 * The `?next=` target after signing in: only a path of this app. Anything else
 * (`//evil.example`, `https://…`, `/login` itself) falls back to `fallback`, so
 * the login page cannot be used to send a user to another site.
 */
export function safeNextPath(raw: unknown, fallback = '/'): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return fallback;
  }
  const path = value.split(/[?#]/)[0]!;
  if (path === '/login' || path.startsWith('/login/')) return fallback;
  return value;
}
