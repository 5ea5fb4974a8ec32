import { onScopeDispose } from 'vue';
import { useLiveMessages } from '../live/use-live';

/**
 * Reads an incident's panel again when the live stream says it changed: a new step on
 * its timeline, a new status, an overdue flag, or a resync. A step and its status change
 * arrive together and cause one reload.
 */
export function useIncidentLiveRefresh(incidentId: () => number | null, reload: () => void): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  useLiveMessages((message) => {
    const id = incidentId();
    if (id === null) return;
    const concerns =
      message.type === 'resync' ||
      (message.type === 'step' && message.incidentId === id) ||
      ((message.type === 'incident' || message.type === 'overdue') && message.incident.id === id);
    if (!concerns) return;
    clearTimeout(timer);
    timer = setTimeout(reload, 250);
  });
  onScopeDispose(() => clearTimeout(timer));
}
