export interface BackoffOptions {
  /** The wait's ceiling for the first attempt (attempt 0); it doubles with every attempt. */
  baseMs: number;
  /** The ceiling never grows beyond this. */
  capMs: number;
  /** Added to every wait. Default 0. */
  floorMs?: number;
  /** The doubling stops after this many attempts. Default: it never stops (the cap still holds). */
  maxDoublings?: number;
  /** A number in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/**
 * Exponential backoff with full jitter: `floorMs` plus a random wait up to `baseMs * 2^attempt`, capped at `capMs`.
 * Every wait before trying again (Graph throttling, polling failures, reconnecting to the relay) comes from here.
 */
export function backoff(attempt: number, options: BackoffOptions): number {
  const { baseMs, capMs, floorMs = 0, maxDoublings = Infinity, random = Math.random } = options;
  return Math.round(floorMs + random() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, maxDoublings)));
}
