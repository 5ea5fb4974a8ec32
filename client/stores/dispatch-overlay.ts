import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { LngLat } from '../http/api-types';

/** What the dispatch helper draws on the command map for the incident in its panel. */
export interface DispatchOverlay {
  incidentId: number;
  origin: LngLat;
  /** The nearest units, drawn with a line from the incident. */
  units: Array<{ id: number; location: LngLat }>;
  /** Cameras whose view covers the spot, ringed. */
  cameras: Array<{ id: number; location: LngLat }>;
}

/** The dispatch helper (a panel) tells the map (CommandMap.vue) what to draw. */
export const useDispatchOverlayStore = defineStore('dispatch-overlay', () => {
  const overlay = shallowRef<DispatchOverlay | null>(null);

  function show(next: DispatchOverlay): void {
    overlay.value = next;
  }

  /** Clears the drawing, unless another incident's helper has replaced it meanwhile. */
  function clear(incidentId: number): void {
    if (overlay.value?.incidentId === incidentId) overlay.value = null;
  }

  return { overlay, show, clear };
});
