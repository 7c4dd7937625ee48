/** The waits before each try again after a failed load: 2 s, then doubling, at most a minute. */
const FIRST_WAIT_MS = 2_000;
const LONGEST_WAIT_MS = 60_000;

/**
 * Runs `again` once, after a wait that grows with `attempt` (0 for the first failure), or sooner when the browser
 * says it is back online. Returns the function that cancels it.
 */
export function retryLater(attempt: number, again: () => void): () => void {
  const wait = Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.max(0, attempt));
  let done = false;
  const run = () => {
    if (done) return;
    cancel();
    again();
  };
  const timer = setTimeout(run, wait);
  const online = typeof window === 'undefined' ? undefined : window;
  online?.addEventListener('online', run);
  function cancel(): void {
    done = true;
    clearTimeout(timer);
    online?.removeEventListener('online', run);
  }
  return cancel;
}
