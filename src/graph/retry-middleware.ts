// The Graph client's requests through the library's retry policy, and its errors as the library's.
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { GraphCallError, retryAfterMs, withRetry, type RetryPolicy } from './retry.js';

/** A middleware that sends each request through `withRetry`: throttling handled once, for every call. */
export class RetryMiddleware implements Middleware {
  private next: Middleware | undefined;
  constructor(private readonly policy: RetryPolicy) {}
  setNext(next: Middleware): void {
    this.next = next;
  }
  async execute(context: Context): Promise<void> {
    const signal = context.options?.signal ?? undefined;
    await withRetry(
      async () => {
        context.response = undefined;
        await this.next!.execute(context);
        return context.response!;
      },
      signal,
      this.policy,
    );
  }
}

/** Any error of a Graph call as a `GraphCallError` (with its status and Retry-After), aborts as they are. */
export function toError(error: unknown): Error {
  if (error instanceof GraphCallError || (error instanceof Error && error.name === 'AbortError')) return error as Error;
  const e = error as { statusCode?: number; code?: string; message?: string; headers?: Headers };
  const status = typeof e?.statusCode === 'number' ? e.statusCode : 0;
  return new GraphCallError(
    e?.message || `Microsoft Graph call failed (${status})`,
    status,
    retryAfterMs(e?.headers?.get?.('retry-after')),
    e?.code,
  );
}
