/** Failure of a same-origin API call, kept distinct so views can show the status. */
export class ApiError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * GET a JSON document from our own server. URLs stay relative so the same build
 * works behind the Vite proxy, the Node server and any reverse proxy on an intranet.
 */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { headers: { Accept: 'application/json' }, signal });
  if (!response.ok) {
    let detail = response.statusText;
    try {
      // The server answers errors as RFC 9457 problem+json.
      const body = (await response.json()) as { title?: unknown; detail?: unknown };
      const text = body.detail ?? body.title;
      if (typeof text === 'string') detail = text;
    } catch {
      // A non-JSON error page: the status line is all we can report.
    }
    throw new ApiError(url, response.status, `${url}: ${response.status} ${detail}`);
  }
  return (await response.json()) as T;
}
