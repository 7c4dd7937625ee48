/** What staleness is judged from: when the presence shown came in, and whether refreshing it failed since. */
export interface Freshness {
  receivedAt?: number | undefined;
  /** The last refresh failed (or a snapshot already says the presence is stale). */
  failed?: boolean | undefined;
}

/**
 * Whether a presence may be out of date: its last refresh failed, or it came in more than `staleAfterMs` before
 * `now`. The one rule the client and the elements mark staleness by.
 */
export function isStale(known: Freshness, staleAfterMs: number, now: number): boolean {
  return !!known.failed || (known.receivedAt !== undefined && now - known.receivedAt > staleAfterMs);
}
