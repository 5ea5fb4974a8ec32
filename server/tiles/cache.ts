import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * Built tiles, keyed by everything that decides their bytes: layer, filters, scope, tile
 * address and the change counters of the data they draw. A change bumps a counter in the
 * writing transaction (migration 0003), so the next request computes a new key and never
 * meets the old picture; old entries simply age out. The counters are read before the
 * tile is built: a change that commits in between lands in a tile filed under the older
 * key, which the next request passes by; the other order could file an old picture under
 * a new key.
 */
export class TileCache {
  private readonly tiles: LRUCache<string, Uint8Array>;
  /** Tiles being built: concurrent requests for one key wait for one query. */
  private readonly building = new Map<string, Promise<Uint8Array>>();

  constructor(maxBytes: number) {
    this.tiles = new LRUCache({ maxSize: Math.max(maxBytes, 1), sizeCalculation: (tile) => tile.byteLength + 64 });
  }

  async get(key: string, build: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const cached = this.tiles.get(key);
    if (cached) return cached;
    const pending = this.building.get(key);
    if (pending) return pending;
    const started = build().then(
      (tile) => {
        this.building.delete(key);
        this.tiles.set(key, tile);
        return tile;
      },
      (err: unknown) => {
        this.building.delete(key);
        throw err;
      },
    );
    this.building.set(key, started);
    return started;
  }

  /** Entries and bytes held, for health and benchmarks. */
  stats(): { entries: number; bytes: number } {
    return { entries: this.tiles.size, bytes: this.tiles.calculatedSize };
  }

  clear(): void {
    this.tiles.clear();
  }
}

/** A short, URL-safe digest of the key's parts: the cache key and the ETag. */
export function tileKey(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 27);
}
