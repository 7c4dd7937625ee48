import { backoff, type BackoffOptions } from './backoff.js';

/** Statuses worth trying again after a wait: throttled, unavailable, gateway timeout. */
export const RETRYABLE = new Set([429, 503, 504]);

/** A Graph call that failed, with what the caller needs to decide: the status and how long to wait. */
export class GraphCallError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterMs?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'GraphCallError';
  }
}

/** Reads Retry-After (seconds or an HTTP date) as milliseconds. */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits, unless the signal aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason ?? new DOMException('Aborted', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryPolicy {
  /** Tries after the first. Default 4. */
  maxRetries: number;
  /** The longest single wait accepted from Retry-After. Default 60 s. */
  maxWaitMs: number;
  /** Told about every wait, for logs and tests. */
  onWait?: (ms: number, status: number) => void;
}

/** Without Retry-After, a throttled call waits up to 0.5 s, then 1 s, 2 s... never more than 30 s. */
const THROTTLED_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 30_000 };

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 4, maxWaitMs: 60_000 };

/**
 * The one place throttling is handled: runs `attempt`, and while it answers 429/503/504, waits as Retry-After says
 * (or backs off with jitter) and tries again, up to the policy's limits. Cancellable at every wait.
 */
export async function withRetry(
  attempt: () => Promise<Response>,
  signal: AbortSignal | undefined,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<Response> {
  for (let tries = 0; ; tries++) {
    const response = await attempt();
    if (!RETRYABLE.has(response.status) || tries >= policy.maxRetries) return response;
    const wait = Math.min(
      retryAfterMs(response.headers.get('retry-after')) ?? backoff(tries, THROTTLED_BACKOFF),
      policy.maxWaitMs,
    );
    policy.onWait?.(wait, response.status);
    await sleep(wait, signal);
  }
}
