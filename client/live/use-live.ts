import { onScopeDispose } from 'vue';
import { useLiveStore, type LiveListener } from '../stores/live';

/** Listens to the live stream for as long as the calling component (or effect scope) lives. */
export function useLiveMessages(listener: LiveListener): void {
  const unsubscribe = useLiveStore().subscribe(listener);
  onScopeDispose(unsubscribe);
}
