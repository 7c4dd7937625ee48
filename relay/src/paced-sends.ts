// Messages that make pages read from Graph (`resync` after a restart, `coverage` when shards are lost or regained)
// go out to a bounded number of users at a time. Every page told re-reads its people from Graph at once, and Graph
// throttles presence reads per application and tenant (429 with Retry-After, "Microsoft Graph throttling
// guidance", https://learn.microsoft.com/graph/throttling-limits): telling a thousand pages at the same instant
// would have them all read in the same second. So users are told in batches: `usersPerBatch` at once, the next
// batch `intervalMs` after the previous one began, and never before the previous one was sent (answered by SignalR
// Service, retries included): at most `usersPerBatch` users are told per `intervalMs`, and batches never overlap.
// With the defaults, 50 users every 250 ms, a thousand users are told in about 5 s.
//
// A user already waiting for a `resync` has the new ids added to it (one message, one read per page); other
// messages keep their order. Each send is retried on a network error, 429 or 5xx (and given up after the last wait).
import { performance } from 'node:perf_hooks';
import type { RestReply } from './signalr-rest.js';

export interface Pacing {
  /** Users told at once. Default 50. */
  usersPerBatch?: number;
  /** The time from the start of one batch to the start of the next (longer when a batch takes longer). Default 250 ms. */
  intervalMs?: number;
}

export const DEFAULT_PACING: Required<Pacing> = { usersPerBatch: 50, intervalMs: 250 };

interface Queued {
  user: string;
  target: string;
  argument: unknown;
  merge: boolean;
  done: Array<(sent: boolean) => void>;
}

export class PacedSends {
  /** Messages sent and given up, and batches sent, for operators and tests. */
  readonly counts = { sent: 0, failed: 0, batches: 0 };
  private readonly queue: Queued[] = [];
  /** The queued message a user's next `resync` ids join, by user. */
  private readonly mergeable = new Map<string, Queued>();
  private draining = false;
  private readonly usersPerBatch: number;
  private readonly intervalMs: number;

  constructor(
    /** One message to one user: SignalR Service's REST API (the fan-out's pool of connections). */
    private readonly post: (user: string, target: string, argument: unknown) => Promise<Pick<RestReply, 'status'>>,
    pacing: Pacing = {},
    /** The waits before each retry of a failed send. */
    private readonly retryDelaysMs: number[] = [500, 1500],
  ) {
    this.usersPerBatch = Math.max(1, Math.floor(pacing.usersPerBatch ?? DEFAULT_PACING.usersPerBatch));
    this.intervalMs = Math.max(0, pacing.intervalMs ?? DEFAULT_PACING.intervalMs);
  }

  /** Messages waiting for their batch. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Queues one message; resolves with whether it was sent. */
  send(user: string, target: string, argument: unknown): Promise<boolean> {
    return this.enqueue(user, target, argument, false);
  }

  /**
   * Queues ids for a user to read again (`target`, argument: the ids); joins a message of the same kind the user is
   * still waiting for. Resolves with whether it was sent.
   */
  sendIds(user: string, target: string, ids: string[]): Promise<boolean> {
    const waiting = this.mergeable.get(`${target}\n${user}`);
    if (waiting) {
      const list = waiting.argument as string[];
      const known = new Set(list);
      for (const id of ids) if (!known.has(id)) list.push(id);
      return new Promise((resolve) => waiting.done.push(resolve));
    }
    return this.enqueue(user, target, [...ids], true);
  }

  private enqueue(user: string, target: string, argument: unknown, merge: boolean): Promise<boolean> {
    return new Promise((resolve) => {
      const item: Queued = { user, target, argument, merge, done: [resolve] };
      this.queue.push(item);
      if (merge) this.mergeable.set(`${target}\n${user}`, item);
      if (this.draining) return;
      // Begun after the current task, so everything queued in it can go in the first batch.
      this.draining = true;
      queueMicrotask(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.usersPerBatch);
        for (const item of batch) if (item.merge) this.mergeable.delete(`${item.target}\n${item.user}`);
        this.counts.batches++;
        const began = performance.now();
        await Promise.all(batch.map((item) => this.deliver(item)));
        const rest = this.intervalMs - (performance.now() - began);
        if (this.queue.length && rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
      }
    } finally {
      this.draining = false;
    }
  }

  private async deliver(item: Queued): Promise<void> {
    let sent = false;
    for (let attempt = 0; ; attempt++) {
      const { status } = await this.post(item.user, item.target, item.argument).catch(() => ({ status: 0 }));
      if (status >= 200 && status < 300) {
        sent = true;
        break;
      }
      const delay = this.retryDelaysMs[attempt];
      if (delay === undefined || (status >= 400 && status < 500 && status !== 429)) break;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    this.counts[sent ? 'sent' : 'failed']++;
    for (const resolve of item.done) resolve(sent);
  }
}
