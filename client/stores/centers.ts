import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { Center } from '../http/api-types';
import { getJson } from '../http/get-json';

export interface CenterOption {
  center: Center;
  /** 0 for the top of the caller's jurisdiction, +1 per level below it. */
  depth: number;
}

/**
 * Orders centers as a tree (parent, then its children by code) so a picker reads like
 * the jurisdiction itself. Centers whose parent is outside the list start a root.
 */
export function centerTree(centers: readonly Center[]): CenterOption[] {
  const ids = new Set(centers.map((c) => c.id));
  const children = new Map<number | null, Center[]>();
  for (const center of centers) {
    const parent = center.parentId !== null && ids.has(center.parentId) ? center.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), center]);
  }
  const out: CenterOption[] = [];
  const walk = (parent: number | null, depth: number) => {
    for (const center of [...(children.get(parent) ?? [])].sort((a, b) => a.code.localeCompare(b.code))) {
      out.push({ center, depth });
      walk(center.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** Governance centers of the caller's jurisdiction (`GET /api/centers`), loaded once per page. */
export const useCentersStore = defineStore('centers', () => {
  const centers = shallowRef<Center[] | null>(null);
  const error = shallowRef<unknown>(null);
  let loading: Promise<void> | null = null;

  const tree = computed(() => centerTree(centers.value ?? []));
  const byId = computed(() => new Map((centers.value ?? []).map((c) => [c.id, c])));

  function load(): Promise<void> {
    loading ??= getJson<{ centers: Center[] }>('/api/centers')
      .then((answer) => {
        centers.value = answer.centers;
        error.value = null;
      })
      .catch((e: unknown) => {
        error.value = e;
        loading = null; // let the next caller try again
      });
    return loading;
  }

  return { centers, error, tree, byId, load };
});
