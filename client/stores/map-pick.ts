import { defineStore } from 'pinia';
import { ref } from 'vue';

export interface PickedGrid {
  id: number;
  name: string;
}

/**
 * A form asking the user to click a level-3 grid on the map (改派网格). While it waits,
 * a map click delivers the grid instead of selecting it.
 */
export const useMapPickStore = defineStore('map-pick', () => {
  const waiting = ref(false);
  let deliver: ((grid: PickedGrid) => void) | null = null;

  /** Waits for a grid click; `onPick` gets the grid. A new request replaces an older one. */
  function pickGrid(onPick: (grid: PickedGrid) => void): void {
    deliver = onPick;
    waiting.value = true;
  }

  function cancel(): void {
    deliver = null;
    waiting.value = false;
  }

  /** Called by the map with the grid under a click. */
  function picked(grid: PickedGrid): void {
    const done = deliver;
    cancel();
    done?.(grid);
  }

  return { waiting, pickGrid, cancel, picked };
});
