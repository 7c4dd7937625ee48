import { backoff } from '../graph/backoff.js';
import { tell, type Entry } from './entry.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

/** A re-read not answered by then (Graph throttles it, or is slow) has what it reads marked as possibly out of date. */
const SLOW_READ_MS = 1_000;

/**
 * The reads a transport asks for because updates may have been missed (after a reconnection, or once the relay
 * covers new people). Nothing else brings those updates: a read that fails is tried again, backing off (up to 30 s
 * between tries), for the people still watched whose presence it could not read, until one succeeds. While a read
 * waits (Graph may ask it to, for a minute and more), the presences it reads may be out of date, and say so.
 */
export class ReadAgain {
  private timer: TimerHandle | undefined;
  private attempt = 0;
  /** Ids whose read failed, waiting for the next try. */
  private readonly waiting = new Set<string>();

  constructor(
    private readonly read: (ids: string[]) => Promise<void>,
    private readonly entries: ReadonlyMap<string, Entry>,
    private readonly clock: Scheduler,
    private readonly signal: AbortSignal,
  ) {}

  /** Those of `ids` still watched whose presence the last read could not get. */
  private unread(ids: string[]): string[] {
    return ids.filter((id) => {
      const entry = this.entries.get(id);
      return !!entry?.watchers && !!entry.failed;
    });
  }

  /** Marks the presences of `ids` as possibly out of date, until a read or an update brings them. */
  private doubt(ids: string[]): void {
    for (const id of ids) {
      const entry = this.entries.get(id);
      if (!entry?.presence || entry.failed) continue;
      entry.failed = true;
      tell(entry);
    }
  }

  async run(ids: string[]): Promise<void> {
    const slow = this.clock.setTimeout(() => this.doubt(ids), SLOW_READ_MS);
    await this.read(ids);
    this.clock.clearTimeout(slow);
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
