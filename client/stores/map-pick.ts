import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { LngLat } from '../http/api-types';

export interface PickedGrid {
  id: number;
  name: string;
}

/** A clicked spot: WGS84 whatever datum the map draws in, and the level-3 grid drawn there, if any. */
export interface PickedPoint {
  location: LngLat;
  grid: PickedGrid | null;
}

type Request = { kind: 'grid'; deliver: (grid: PickedGrid) => void } | { kind: 'point'; deliver: (point: PickedPoint) => void };

/**
 * A form asking the user to click the map: a level-3 grid (改派网格) or a spot (登记事件).
 * While it waits, a map click answers it instead of selecting what lies there. A new
 * request replaces an older one, so two open forms never both take the same click.
 */
export const useMapPickStore = defineStore('map-pick', () => {
  /** What the next map click answers, or null when no form waits. */
  const waitingFor = ref<Request['kind'] | null>(null);
  /** The spot a form holds, drawn on the map as a marker until the form lets go of it. */
  const marker = shallowRef<LngLat | null>(null);
  let request: Request | null = null;

  function wait(next: Request): void {
    request = next;
    waitingFor.value = next.kind;
  }

  /** Waits for a grid click; `onPick` gets the grid. */
  function pickGrid(onPick: (grid: PickedGrid) => void): void {
    wait({ kind: 'grid', deliver: onPick });
  }

  /** Waits for a click anywhere; `onPick` gets the spot. */
  function pickPoint(onPick: (point: PickedPoint) => void): void {
    wait({ kind: 'point', deliver: onPick });
  }

  function cancel(): void {
    request = null;
    waitingFor.value = null;
  }

  /** Called by the map with the grid under a click. */
  function picked(grid: PickedGrid): void {
    const done = request;
    cancel();
    if (done?.kind === 'grid') done.deliver(grid);
  }

  /** Called by the map with the spot clicked. */
  function pickedPoint(point: PickedPoint): void {
    const done = request;
    cancel();
    if (done?.kind === 'point') done.deliver(point);
  }

  function mark(at: LngLat | null): void {
    marker.value = at;
  }

  return { waitingFor, marker, pickGrid, pickPoint, cancel, picked, pickedPoint, mark };
});
