import { defineStore } from 'pinia';
import { ref, watch } from 'vue';

const OPEN_KEY = 'pingan.queue.open';

function readOpen(): boolean {
  try {
    return localStorage.getItem(OPEN_KEY) !== '0';
  } catch {
    return true;
  }
}

/** Whether the incident queue is expanded: the map frames what it shows clear of it. Kept across page loads. */
export const useIncidentQueueStore = defineStore('incident-queue', () => {
  const open = ref(readOpen());
  watch(open, (next) => {
    try {
      localStorage.setItem(OPEN_KEY, next ? '1' : '0');
    } catch {
      // Storage blocked: the choice holds for this page.
    }
  });

  function toggle(): void {
    open.value = !open.value;
  }

  return { open, toggle };
});
