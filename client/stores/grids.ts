import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import { getJson } from '../http/get-json';
import { retryWithBackoff } from '../http/retry';
import type { GridCollection } from '../http/api-types';
import { prepareGrids, type PreparedGrids } from '../map/grid-layers';

export type GridLevel = 1 | 2 | 3;

/**
 * General grids shown on the command map, shared by the map and its legend: the level
 * right below the user's jurisdiction (a district sees its level-1 grids, a town its
 * level-2, a village its level-3). The server returns only grids inside the caller's
 * jurisdiction; the client never filters for access.
 */
export const useGridStore = defineStore('grids', () => {
  // Geometry is large and never edited here: keep it out of Vue's deep reactivity.
  const grids = shallowRef<PreparedGrids | null>(null);
  const error = shallowRef<Error | null>(null);

  const level = computed(() => grids.value?.level ?? null);
  const summaries = computed(() => grids.value?.summaries ?? []);

  /** Loads one level of general grids, retrying while the server is unreachable. */
  async function load(gridLevel: GridLevel, signal: AbortSignal): Promise<PreparedGrids> {
    const url = `/api/grids?level=${gridLevel}&kind=general`;
    const collection = await retryWithBackoff(() => getJson<GridCollection>(url, signal), {
      signal,
      onError: (e) => (error.value = e),
    });
    grids.value = prepareGrids(collection, gridLevel);
    error.value = null;
    return grids.value;
  }

  return { grids, level, error, summaries, load };
});
