/**
 * The polling interval, kept within what a poller can keep. `setTimeout` holds at most 2^31 - 1 ms (about 24.8
 * days): beyond it, and for `Infinity` or `NaN`, the browser fires at once, which would poll in a loop. Presence
 * older than an hour says little, and Graph's throttling (about 1,500 presence reads per 30 s per app and tenant)
 * is shared by every page of the app: 1 s to 1 hour is the range kept.
 */
export const MIN_INTERVAL_MS = 1_000;
export const MAX_INTERVAL_MS = 60 * 60_000;
export const DEFAULT_INTERVAL_MS = 30_000;

/** The interval to poll at, and why it is not the one asked for (when it is not). */
export function pollingInterval(asked: number | undefined): { ms: number; problem?: string } {
  if (asked === undefined) return { ms: DEFAULT_INTERVAL_MS };
  const ms =
    typeof asked == 'number' && Number.isFinite(asked)
      ? Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, asked))
      : DEFAULT_INTERVAL_MS;
  return ms === asked
    ? { ms }
    : {
        ms,
        problem: `The polling interval ${String(asked)} ms is not a number from 1 s to 1 hour: polling every ${ms / 1000} s.`,
      };
}
