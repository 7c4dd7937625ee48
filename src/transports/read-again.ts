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
  /** The read `takeOver` put off, if any. */
  private pending: TimerHandle | undefined;
  /** Pushes stopped, and what they brought was (or will be) read: once per outage. */
  private takenOver = false;
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

  /**
   * Pushes stopped (the connection dropped, or the relay stopped watching): the fallback polls from now on, its first
   * poll an interval away (30 s by default), so what was shown is read once `delayMs` from now, unless the pushes
   * come back before (`pushesBack`, with a read of their own). Once per outage.
   */
  takeOver(sink: TransportSink | undefined, delayMs: number): void {
    if (this.takenOver || this.stopped) return;
    this.takenOver = true;
    this.pending = this.clock.setTimeout(() => {
      this.pending = undefined;
      void this.run(sink);
    }, delayMs);
  }

  /** The pushes are back: a read put off by `takeOver` is not needed (the caller reads everything again). */
  pushesBack(): void {
    this.takenOver = false;
    this.clock.clearTimeout(this.pending);
    this.pending = undefined;
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
    this.clock.clearTimeout(this.pending);
  }
}
