import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import { getJson } from '../http/get-json';
import { retryWithBackoff } from '../http/retry';
import type { GridCollection } from '../http/api-types';
import { prepareGrids, type PreparedGrids } from '../map/grid-layers';

/** Grids shown on the command map, shared by the map and its legend. */
export const useGridStore = defineStore('grids', () => {
  // Geometry is large and never edited here: keep it out of Vue's deep reactivity.
  const level1 = shallowRef<PreparedGrids | null>(null);
  const error = shallowRef<Error | null>(null);

  const summaries = computed(() => level1.value?.summaries ?? []);

  async function loadLevel1(signal: AbortSignal): Promise<PreparedGrids> {
    const collection = await retryWithBackoff(() => getJson<GridCollection>('/api/grids?level=1&kind=general', signal), {
      signal,
      onError: (e) => (error.value = e),
    });
    level1.value = prepareGrids(collection, 1);
    error.value = null;
    return level1.value;
  }

  return { level1, error, summaries, loadLevel1 };
});
