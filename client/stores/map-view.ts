import { defineStore } from 'pinia';
import { computed, onScopeDispose, ref, shallowRef } from 'vue';
import type { CenterLevel } from '../http/api-types';
import { OVERLAY_IDS, type Datum, type OverlayId } from '../map/layers/overlay';
import type { Selection } from '../map/map-url';
import { framesOf, frameWindow, resolveWindow, type TimeWindowChoice } from '../map/time-window';

/** Every overlay but specialist grids and the heat map is on until the user says otherwise. */
const DEFAULT_HIDDEN: readonly OverlayId[] = ['specialist-grids', 'heatmap'];

/** Grid levels of a jurisdiction: a town has no level-1 grid of its own to draw. */
export function gridOverlaysFor(level: CenterLevel): OverlayId[] {
  if (level === 'village') return ['grids-3'];
  if (level === 'town') return ['grids-2', 'grids-3'];
  return ['grids-1', 'grids-2', 'grids-3'];
}

/**
 * The command map's state: what is shown, for which time, and what is selected. The
 * URL mirrors it (map-url.ts); the map and the panels only read it and call its actions.
 */
export const useMapViewStore = defineStore('map-view', () => {
  const visible = ref<Record<OverlayId, boolean>>(Object.fromEntries(OVERLAY_IDS.map((id) => [id, !DEFAULT_HIDDEN.includes(id)])) as Record<OverlayId, boolean>);
  const opacity = ref<Record<OverlayId, number>>(Object.fromEntries(OVERLAY_IDS.map((id) => [id, 1])) as Record<OverlayId, number>);
  const gridLevels = ref<OverlayId[]>(gridOverlaysFor('district'));
  const datum = ref<Datum>('wgs84');
  const timeChoice = ref<TimeWindowChoice>({ preset: '24h' });
  const now = ref(Date.now());
  const selection = shallowRef<Selection | null>(null);
  /** Playback frame index, or null when the map shows the whole window. */
  const frame = ref<number | null>(null);
  const playing = ref(false);

  const timeWindow = computed(() => resolveWindow(timeChoice.value, now.value));
  const frames = computed(() => framesOf(timeWindow.value));
  const frameRange = computed(() => (frame.value === null ? null : frameWindow(timeWindow.value, frames.value, frame.value)));
  /** Overlays the panel offers: grid levels outside the jurisdiction are not listed. */
  const overlays = computed(() => OVERLAY_IDS.filter((id) => !id.startsWith('grids-') || gridLevels.value.includes(id)));
  const shownOverlays = computed(() => overlays.value.filter((id) => visible.value[id]));

  // The clock moves preset windows forward and flags newly overdue incidents.
  const clock = setInterval(tick, 60_000);
  onScopeDispose(() => clearInterval(clock));

  /**
   * Moves the clock now: a preset window ends at the step boundary after the last tick, so
   * an incident reported since may lie beyond it until the next one.
   */
  function tick(): void {
    now.value = Date.now();
  }
  function setVisible(id: OverlayId, on: boolean): void {
    visible.value = { ...visible.value, [id]: on };
  }
  function showOnly(ids: readonly string[]): void {
    visible.value = Object.fromEntries(OVERLAY_IDS.map((id) => [id, ids.includes(id)])) as Record<OverlayId, boolean>;
  }
  function setOpacity(id: OverlayId, value: number): void {
    opacity.value = { ...opacity.value, [id]: Math.min(1, Math.max(0, value)) };
  }
  function setTime(choice: TimeWindowChoice): void {
    stopPlayback();
    now.value = Date.now();
    timeChoice.value = choice;
  }
  function select(next: Selection | null): void {
    selection.value = next;
  }
  function setFrame(index: number | null): void {
    frame.value = index === null ? null : Math.min(frames.value.count - 1, Math.max(0, index));
  }
  function play(): void {
    if (frame.value === null || frame.value >= frames.value.count - 1) frame.value = 0;
    playing.value = true;
  }
  function pause(): void {
    playing.value = false;
  }
  function stopPlayback(): void {
    playing.value = false;
    frame.value = null;
  }
  /** One step of an animation tick; stops on the last frame. */
  function advance(): void {
    if (frame.value === null) return;
    if (frame.value >= frames.value.count - 1) playing.value = false;
    else frame.value += 1;
  }

  return {
    visible, opacity, gridLevels, datum, timeChoice, now, selection, frame, playing,
    timeWindow, frames, frameRange, overlays, shownOverlays,
    tick, setVisible, showOnly, setOpacity, setTime, select, setFrame, play, pause, stopPlayback, advance,
  };
});
