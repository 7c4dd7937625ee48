/** A timer handle from a `Scheduler`: opaque, only given back to it. */
export type TimerHandle = unknown;

/**
 * Where the client and its transports read the time and set their timers. The real one is the page's clock; tests
 * pass one they move forward themselves, so nothing waits for real time.
 */
export interface Scheduler {
  /** Milliseconds since the epoch, as `Date.now()`. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(callback: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

type Timer = ReturnType<typeof setTimeout>;

/** The page's own clock and timers. */
export const realScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as Timer | undefined),
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as Timer | undefined),
};
