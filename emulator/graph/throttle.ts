// Graph's presence budget: about 1,500 requests per 30 seconds per application per tenant. Past it, 429 with a
// Retry-After that says when the oldest request in the window leaves it.
export interface Budget {
  requests: number;
  windowSeconds: number;
}

export const PRESENCE_BUDGET: Budget = { requests: 1_500, windowSeconds: 30 };

export class SlidingWindowThrottle {
  private readonly hits = new Map<string, number[]>();

  constructor(
    public budget: Budget = PRESENCE_BUDGET,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request for `key`; returns the seconds to wait when over budget, else 0. */
  take(key: string): number {
    const now = this.now();
    const windowMs = this.budget.windowSeconds * 1000;
    const list = (this.hits.get(key) ?? []).filter((t) => t > now - windowMs);
    if (list.length >= this.budget.requests) {
      this.hits.set(key, list);
      return Math.max(1, Math.ceil((list[0]! + windowMs - now) / 1000));
    }
    list.push(now);
    this.hits.set(key, list);
    return 0;
  }

  reset(): void {
    this.hits.clear();
  }
}
