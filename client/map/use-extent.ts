import { onScopeDispose, shallowRef } from 'vue';
import { getJson } from '../http/get-json';
import { retryWithBackoff } from '../http/retry';
import type { MapExtent } from '../http/api-types';

/** The jurisdiction frame the map opens on, loaded with retries (see retryWithBackoff). */
export function useExtent() {
  const extent = shallowRef<MapExtent | null>(null);
  const error = shallowRef<Error | null>(null);
  const controller = new AbortController();

  async function load(): Promise<MapExtent> {
    const result = await retryWithBackoff(() => getJson<MapExtent>('/api/map/extent', controller.signal), {
      signal: controller.signal,
      onError: (e) => (error.value = e),
    });
    extent.value = result;
    error.value = null;
    return result;
  }

  onScopeDispose(() => controller.abort());

  return { extent, error, load };
}
