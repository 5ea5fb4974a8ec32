/**
 * Repeats `attempt` until it succeeds or `signal` aborts. Wall displays are often
 * powered on before the server, and must come back by themselves after a restart.
 */
export async function retryWithBackoff<T>(
  attempt: () => Promise<T>,
  options: { signal: AbortSignal; initialMs?: number; maxMs?: number; onError?: (error: Error) => void },
): Promise<T> {
  let delay = options.initialMs ?? 2_000;
  const maxDelay = options.maxMs ?? 30_000;
  for (;;) {
    options.signal.throwIfAborted();
    try {
      return await attempt();
    } catch (e) {
      if (options.signal.aborted) throw options.signal.reason;
      options.onError?.(e instanceof Error ? e : new Error(String(e)));
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      options.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
    delay = Math.min(delay * 2, maxDelay);
  }
}
