import type { Map as MaplibreMap } from 'maplibre-gl';

declare global {
  interface Window {
    /** Set only in automated browsers, for e2e tests to query the rendered map. */
    __pinganMap?: MaplibreMap;
    /** Ids of the deck.gl layers last handed to the overlay (heat map, playback dots, patrol units). */
    __pinganDeckLayers?: string[];
  }
}

// Automation (Playwright, WebDriver) sets navigator.webdriver; `?e2e` forces it for
// manual debugging. Operators' browsers never get the map handle on window.
function isAutomatedRun(): boolean {
  return import.meta.env.DEV || navigator.webdriver || new URLSearchParams(location.search).has('e2e');
}

export function exposeMapForTests(map: MaplibreMap): void {
  if (isAutomatedRun()) window.__pinganMap = map;
}

export function recordDeckLayersForTests(ids: string[]): void {
  if (isAutomatedRun()) window.__pinganDeckLayers = ids;
}

export function releaseMapForTests(map: MaplibreMap): void {
  if (window.__pinganMap !== map) return;
  delete window.__pinganMap;
  delete window.__pinganDeckLayers;
}

/** Tests wait for `body[data-map-ready="true"]`: base map and grids are drawn. */
export function setMapReady(ready: boolean): void {
  if (ready) document.body.dataset.mapReady = 'true';
  else delete document.body.dataset.mapReady;
}
