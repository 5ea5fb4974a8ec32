/** Severity as the queue's row edge shows it: grey, amber, orange, red. */
export const severityColors: Record<string, string> = {
  low: '#94a3b8',
  medium: '#fbbf24',
  high: '#fb923c',
  critical: '#f43f5e',
};
