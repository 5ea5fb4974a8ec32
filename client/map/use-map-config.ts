import { getJson } from '../http/get-json';
import { retryWithBackoff } from '../http/retry';
import type { MapConfig } from '../http/api-types';

/** The deployment's base-map choice, retried like the extent while the server is unreachable. */
export function loadMapConfig(signal: AbortSignal, onError: (e: Error) => void): Promise<MapConfig> {
  return retryWithBackoff(() => getJson<MapConfig>('/api/map/config', signal), { signal, onError });
}
