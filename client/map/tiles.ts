/**
 * URL template of one of our vector tile sets (`/tiles/<layer>/{z}/{x}/{y}.mvt`).
 * MapLibre fetches tiles from its workers, which do not resolve relative URLs, so the
 * template is absolute on this page's own origin. Empty parameters are left out so
 * equal views give equal URLs (and cache hits).
 */
export function tileTemplate(layer: string, query: Record<string, string | null | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const search = params.size > 0 ? `?${params.toString()}` : '';
  return `${location.origin}/tiles/${layer}/{z}/{x}/{y}.mvt${search}`;
}
