import { onScopeDispose } from 'vue';
import type { LivePosition } from './messages';
import { useLiveMessages } from './use-live';

/** Positions arrive unit by unit, many a second in a busy district; the map redraws at most this often. */
const POSITION_BATCH_MS = 500;
/** Incident changes come in bursts (a step is an incident and a step message): tiles reload at most this often. */
const INCIDENT_REFRESH_MS = 3_000;

export interface LiveMapHandlers {
  /** New positions, oldest first. */
  positions(batch: LivePosition[]): void;
  /** Incidents were created or changed: the incident tiles are out of date. */
  incidentsChanged(): void;
  /** Too much changed to say what: reload everything shown. */
  resync(): void;
}

/** What the command map takes from the live stream, batched so a busy stream costs few redraws. */
export function useLiveMap(handlers: LiveMapHandlers): void {
  let pending: LivePosition[] = [];
  let positionTimer: ReturnType<typeof setTimeout> | undefined;
  let incidentTimer: ReturnType<typeof setTimeout> | undefined;

  function refreshIncidents(): void {
    incidentTimer = undefined;
    handlers.incidentsChanged();
  }

  function flushPositions(): void {
    positionTimer = undefined;
    const batch = pending;
    pending = [];
    handlers.positions(batch);
  }

  useLiveMessages((message) => {
    if (message.type === 'position') {
      pending.push(message.position);
      positionTimer ??= setTimeout(flushPositions, POSITION_BATCH_MS);
    } else if (message.type === 'incident' || message.type === 'overdue') {
      incidentTimer ??= setTimeout(refreshIncidents, INCIDENT_REFRESH_MS);
    } else if (message.type === 'resync') {
      handlers.resync();
    }
  });

  onScopeDispose(() => {
    clearTimeout(positionTimer);
    clearTimeout(incidentTimer);
  });
}
