import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { getJson } from '../http/get-json';
import type { HealthResponse } from '../http/api-types';

// A big screen runs for days: re-check now and then so the badge tracks a restarted server.
const REFRESH_MS = 60_000;

export const useHealthStore = defineStore('health', () => {
  const health = ref<HealthResponse | null>(null);
  const reachable = ref<boolean | null>(null);
  let timer: ReturnType<typeof setInterval> | undefined;

  const database = computed(() => health.value?.database ?? null);

  async function refresh(): Promise<void> {
    try {
      health.value = await getJson<HealthResponse>('/api/health');
      reachable.value = true;
    } catch {
      reachable.value = false;
    }
  }

  function startPolling(): void {
    if (timer !== undefined) return;
    void refresh();
    timer = setInterval(() => void refresh(), REFRESH_MS);
  }

  function stopPolling(): void {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  }

  return { health, reachable, database, refresh, startPolling, stopPolling };
});
