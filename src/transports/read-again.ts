import type { Scheduler, TimerHandle } from '../client/scheduler.js';
import { backoff } from '../graph/backoff.js';
import type { TransportSink } from './transport.js';

/** A re-read not answered by then (Graph throttles it, or is slow) has what it reads marked as possibly out of date. */
const SLOW_READ_MS = 1_000;

/**
 * The reads this transport asks the client for because updates may have been missed (after a reconnection, or once
 * the relay covers new people). Nothing else brings those updates: a read that fails is tried again, backing off (up
 * to 30 s between tries), for the people the client could not read, until one succeeds. While a read waits (Graph
 * may ask it to, for a minute and more), the presences it reads may be out of date, and say so.
 */
export class ReadAgain {
  private timer: TimerHandle | undefined;
  private attempt = 0;
  /** Ids whose read failed, waiting for the next try. */
  private readonly waiting = new Set<string>();
  private stopped = false;

  constructor(private readonly clock: Scheduler) {}

  /** Has the client read `ids` again (every watched id when absent). */
  async run(sink: TransportSink | undefined, ids?: string[]): Promise<void> {
    if (!sink?.resync || this.stopped) return;
    const slow = this.clock.setTimeout(() => sink.doubt?.(ids), SLOW_READ_MS);
    const failed = (await sink.resync(ids)) ?? [];
    this.clock.clearTimeout(slow);
    if (this.stopped) return;
    if (!failed.length) {
      if (!this.waiting.size) this.attempt = 0;
      return;
    }
    for (const id of failed) this.waiting.add(id);
    if (this.timer !== undefined) return;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        const again = [...this.waiting];
        this.waiting.clear();
        this.attempt++;
        void this.run(sink, again);
      },
      backoff(this.attempt, { floorMs: 500, baseMs: 1_000, capMs: 30_000 }),
    );
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
  }
}
