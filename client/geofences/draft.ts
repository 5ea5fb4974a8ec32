import type { Feature, FeatureCollection } from 'geojson';

/** The closed ring of a drawn area: its corners and the first one again. */
export function ringOf(corners: readonly [number, number][]): [number, number][] {
  return corners.length === 0 ? [] : [...corners, corners[0]!];
}

/** What the map shows while an area is drawn: the area so far (or its first edge) and its corners. */
export function draftGeoJson(corners: readonly [number, number][]): FeatureCollection {
  const shape: Feature[] =
    corners.length >= 3
      ? [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ringOf(corners)] } }]
      : corners.length === 2
        ? [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [...corners] } }]
        : [];
  const points: Feature[] = corners.map((c) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: c } }));
  return { type: 'FeatureCollection', features: [...shape, ...points] };
}
