import { backoff } from '../graph/backoff.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

/**
 * The reads a transport asks for because updates may have been missed (after a reconnection, or once the relay
 * covers new people). Nothing else brings those updates: a read that fails is tried again, backing off (up to 30 s
 * between tries), for the people still watched whose presence it could not read, until one succeeds.
 */
export class ReadAgain {
  private timer: TimerHandle | undefined;
  private attempt = 0;
  /** Ids whose read failed, waiting for the next try. */
  private readonly waiting = new Set<string>();

  constructor(
    private readonly read: (ids: string[]) => Promise<void>,
    /** Those of `ids` still watched whose presence the last read could not get. */
    private readonly unread: (ids: string[]) => string[],
    private readonly clock: Scheduler,
    private readonly signal: AbortSignal,
  ) {}

  async run(ids: string[]): Promise<void> {
    await this.read(ids);
    if (this.signal.aborted) return;
    const failed = this.unread(ids);
    if (!failed.length) {
      if (!this.waiting.size) this.attempt = 0;
      return;
    }
    for (const id of failed) this.waiting.add(id);
    if (this.timer !== undefined) return;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        const again = this.unread([...this.waiting]);
        this.waiting.clear();
        this.attempt++;
        if (again.length && !this.signal.aborted) void this.run(again);
      },
      backoff(this.attempt, { floorMs: 500, baseMs: 1_000, capMs: 30_000 }),
    );
  }
}
