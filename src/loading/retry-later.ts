/** The waits before each try again after a failed load: 2 s, then doubling, at most a minute. */
const FIRST_WAIT_MS = 2_000;
const LONGEST_WAIT_MS = 60_000;

/**
 * Runs `again` once, after a wait that grows with `attempt` (0 for the first failure), or sooner when the browser
 * says it is back online. Returns the function that cancels it.
 */
export function retryLater(attempt: number, again: () => void): () => void {
  const run = () => {
    cancel();
    again();
  };
  const timer = setTimeout(run, Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** attempt));
  // No window on a server: only the wait counts there.
  globalThis.addEventListener?.('online', run);
  function cancel(): void {
    clearTimeout(timer);
    globalThis.removeEventListener?.('online', run);
  }
  return cancel;
}
