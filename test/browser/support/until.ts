/** Waits for something that happens on its own (a message between tabs, a lock handed over, a network answer). */
export async function until(check: () => unknown, what: string, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}.`);
    // Looked at again within a frame.
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Lets every promise already settled run its callbacks, and every task already queued (a message) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
